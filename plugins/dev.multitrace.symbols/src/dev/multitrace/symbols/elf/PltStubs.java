package dev.multitrace.symbols.elf;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The PLT stubs of an ELF file and the functions they call (objdump's and gdb's {@code NAME@plt}): a call into a
 * shared library goes to its stub, which jumps through the GOT slot the dynamic linker fills. A stub is found by
 * the {@code jmp *SLOT(%rip)} it starts with (after {@code endbr64} and a {@code bnd} prefix where the file has
 * them: {@code .plt.sec} of IBT-enabled files, else {@code .plt}), the slot's name by the {@code R_X86_64_JUMP_SLOT}
 * relocation of {@code .rela.plt} for it and its {@code .dynsym} entry. Link-time addresses.
 */
public final class PltStubs {

    private static final int ENTRY = 16;
    private static final int R_X86_64_JUMP_SLOT = 7;
    private static final int RELA_SIZE = 24;
    private static final int SYM_SIZE = 24;

    private final Map<Long, String> byStub;

    private PltStubs(Map<Long, String> byStub) {
        this.byStub = byStub;
    }

    /** The stubs of {@code elf}; none if it has no PLT (a static program) or its tables cannot be read. */
    public static PltStubs of(ElfFile elf) {
        Map<Long, String> bySlot = slots(elf);
        Map<Long, String> byStub = new HashMap<>();
        if (!bySlot.isEmpty()) {
            for (String name : new String[] { ".plt.sec", ".plt" }) {
                Optional<ElfSection> plt = elf.section(name);
                Optional<ByteReader> data = elf.data(name);
                if (plt.isEmpty() || data.isEmpty()) {
                    continue;
                }
                byte[] code = data.get().seek(0).bytes(data.get().size());
                for (int at = 0; at + ENTRY <= code.length; at += ENTRY) {
                    long slot = jumpSlot(code, at, plt.get().addr() + at);
                    String target = bySlot.get(slot);
                    if (target != null) {
                        byStub.put(plt.get().addr() + at, target);
                    }
                }
            }
        }
        return new PltStubs(byStub);
    }

    /** The name of the function the stub containing {@code address} calls, if {@code address} is in a stub. */
    public Optional<String> at(long address) {
        return Optional.ofNullable(byStub.get(address - Math.floorMod(address, ENTRY)));
    }

    public int size() {
        return byStub.size();
    }

    /** The GOT slot of the {@code ff 25 disp32} jump in the entry at {@code at} (its address {@code pc}); -1 if none. */
    private static long jumpSlot(byte[] code, int at, long pc) {
        for (int i = at; i < at + 10 && i + 6 <= code.length; i++) {
            if ((code[i] & 0xff) == 0xff && (code[i + 1] & 0xff) == 0x25) {
                int disp = (code[i + 2] & 0xff) | (code[i + 3] & 0xff) << 8 | (code[i + 4] & 0xff) << 16 | (code[i + 5] & 0xff) << 24;
                return pc + (i - at) + 6 + disp;
            }
        }
        return -1;
    }

    /** The GOT slots the dynamic linker fills for a function, and the function's name. */
    private static Map<Long, String> slots(ElfFile elf) {
        Map<Long, String> out = new HashMap<>();
        Optional<ByteReader> rela = elf.data(".rela.plt");
        Optional<ByteReader> dynsym = elf.data(".dynsym");
        Optional<ByteReader> dynstr = elf.data(".dynstr");
        if (rela.isEmpty() || dynsym.isEmpty() || dynstr.isEmpty()) {
            return out;
        }
        try {
            ByteReader r = rela.get();
            for (long at = 0; at + RELA_SIZE <= r.size(); at += RELA_SIZE) {
                r.seek(at);
                long slot = r.u64();
                long info = r.u64();
                if ((info & 0xffffffffL) != R_X86_64_JUMP_SLOT) {
                    continue;
                }
                long sym = info >>> 32;
                ByteReader s = dynsym.get();
                if ((sym + 1) * SYM_SIZE > s.size()) {
                    continue;
                }
                s.seek(sym * SYM_SIZE);
                long nameOffset = s.u32();
                String name = dynstr.get().cstringAt(nameOffset);
                if (!name.isEmpty()) {
                    out.put(slot, name);
                }
            }
        } catch (SymbolException e) {
            out.clear(); // a broken table names no stub
        }
        return out;
    }
}
