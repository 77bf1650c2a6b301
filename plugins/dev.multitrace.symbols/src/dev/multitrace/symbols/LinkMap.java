package dev.multitrace.symbols;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import dev.multitrace.symbols.elf.ElfSymbol;

/**
 * The dynamic linker's view of the loaded objects, read from target memory: glibc's {@code struct r_debug}
 * and its {@code link_map} list. How a debugger follows {@code dlopen}/{@code dlclose}:
 * <ol>
 * <li>find {@code r_debug} with {@link #findRDebug(MemoryReader, Auxv)} (the executable's {@code DT_DEBUG},
 * found through the program headers the auxiliary vector points to; the dynamic linker fills it in
 * before {@code main}) or {@link #findRDebug(ProcessSymbols)} (ld.so's {@code _r_debug} symbol);</li>
 * <li>{@link #read(MemoryReader, long)} the list, and plant a breakpoint at {@link #breakAddress()}
 * ({@code r_brk}, glibc's {@code _dl_debug_state}: the loader calls it before and after each change);</li>
 * <li>on each hit, read again; when {@link #state()} is {@link State#CONSISTENT}, update the symbols
 * with {@link ProcessSymbols#withLinkMap(LinkMap)} (keeps the modules that did not change).</li>
 * </ol>
 * The breakpoint itself is the debug model's business (through the tracing service's breakpoint table);
 * this class only reads. x86-64 layouts; 64-bit little-endian words.
 *
 * @param rDebug       the address of {@code r_debug}
 * @param version      {@code r_version} (1, or 2 with glibc's multiple-namespace extension)
 * @param breakAddress {@code r_brk}
 * @param state        {@code r_state}
 * @param loaderBase   {@code r_ldbase}: where ld.so is loaded
 * @param objects      the {@code link_map} entries in list order (the executable first, with an empty name)
 */
public record LinkMap(long rDebug, int version, long breakAddress, State state, long loaderBase, List<LoadedObject> objects) {

    private static final int DT_NULL = 0;
    private static final int DT_DEBUG = 21;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_PHDR = 6;
    private static final int MAX_OBJECTS = 100_000;

    /** {@code r_state}: whether the list may be read now. */
    public enum State {
        /** RT_CONSISTENT: the list is stable. */
        CONSISTENT,
        /** RT_ADD: an object is being added; the list may be incomplete. */
        ADD,
        /** RT_DELETE: an object is being removed. */
        DELETE
    }

    /**
     * One {@code struct link_map}: {@code l_addr} is the load bias (run-time minus link-time address),
     * {@code name} the path the loader opened ({@code ""} for the executable), {@code dynamic} the run-time
     * address of its {@code _DYNAMIC}, {@code address} where the entry itself is.
     */
    public record LoadedObject(long address, long bias, String name, long dynamic) {
    }

    public LinkMap {
        objects = Collections.unmodifiableList(new ArrayList<>(objects));
    }

    /**
     * The address of {@code r_debug} from the executable's {@code DT_DEBUG}: the program headers at AT_PHDR
     * give the load bias (through PT_PHDR) and PT_DYNAMIC. Empty for static executables, and before the
     * dynamic linker has filled DT_DEBUG in (at the first instruction of a new process).
     */
    public static OptionalLong findRDebug(MemoryReader memory, Auxv auxv) {
        OptionalLong phdr = auxv.get(Auxv.AT_PHDR);
        OptionalLong phnum = auxv.get(Auxv.AT_PHNUM);
        long phent = auxv.get(Auxv.AT_PHENT).orElse(56);
        if (phdr.isEmpty() || phnum.isEmpty() || phnum.getAsLong() > 4096 || phent < 56) {
            return OptionalLong.empty();
        }
        long bias = 0;
        boolean haveBias = false;
        long dynamicVaddr = -1;
        long dynamicSize = 0;
        for (long i = 0; i < phnum.getAsLong(); i++) {
            byte[] ph = memory.readFully(phdr.getAsLong() + i * phent, 56);
            if (ph == null) {
                return OptionalLong.empty();
            }
            int type = (int) word(ph, 0, 4);
            long vaddr = word(ph, 16, 8);
            if (type == PT_PHDR) {
                bias = phdr.getAsLong() - vaddr;
                haveBias = true;
            } else if (type == PT_DYNAMIC) {
                dynamicVaddr = vaddr;
                dynamicSize = word(ph, 40, 8);
            }
        }
        if (dynamicVaddr == -1) {
            return OptionalLong.empty(); // static executable
        }
        if (!haveBias) {
            // no PT_PHDR: non-PIE executables are not relocated; a PIE without PT_PHDR is not something ld makes
            bias = 0;
        }
        long dyn = dynamicVaddr + bias;
        for (long off = 0; off + 16 <= Math.min(dynamicSize, 16 * 4096); off += 16) {
            OptionalLong tag = memory.readLong(dyn + off);
            OptionalLong val = memory.readLong(dyn + off + 8);
            if (tag.isEmpty() || val.isEmpty() || tag.getAsLong() == DT_NULL) {
                break;
            }
            if (tag.getAsLong() == DT_DEBUG) {
                return val.getAsLong() == 0 ? OptionalLong.empty() : OptionalLong.of(val.getAsLong());
            }
        }
        return OptionalLong.empty();
    }

    /** The address of ld.so's {@code _r_debug} (for executables without DT_DEBUG, or before it is set). */
    public static OptionalLong findRDebug(ProcessSymbols symbols) {
        for (LoadedModule m : symbols.modules()) {
            for (ElfSymbol s : m.elf().symbols().byName("_r_debug")) {
                if (s.type() == ElfSymbol.STT_OBJECT) {
                    return OptionalLong.of(s.value() + m.bias());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Finds {@code r_debug} through DT_DEBUG and reads the list; empty if the process has no dynamic linker state (yet). */
    public static Optional<LinkMap> read(MemoryReader memory, Auxv auxv) {
        OptionalLong r = findRDebug(memory, auxv);
        return r.isPresent() ? read(memory, r.getAsLong()) : Optional.empty();
    }

    /**
     * Reads {@code r_debug} at {@code rDebug} and its list. Empty if {@code r_debug} is unreadable; the list
     * stops at an unreadable entry, a loop, or {@value #MAX_OBJECTS} entries (a corrupt list costs entries,
     * never a hang).
     */
    public static Optional<LinkMap> read(MemoryReader memory, long rDebug) {
        byte[] r = memory.readFully(rDebug, 40);
        if (r == null) {
            return Optional.empty();
        }
        int version = (int) word(r, 0, 4);
        long map = word(r, 8, 8);
        long brk = word(r, 16, 8);
        int stateValue = (int) word(r, 24, 4);
        long ldbase = word(r, 32, 8);
        State state = switch (stateValue) {
            case 1 -> State.ADD;
            case 2 -> State.DELETE;
            default -> State.CONSISTENT;
        };
        List<LoadedObject> objects = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        for (long at = map; at != 0 && objects.size() < MAX_OBJECTS && seen.add(at); ) {
            byte[] e = memory.readFully(at, 40);
            if (e == null) {
                break;
            }
            long nameAddress = word(e, 8, 8);
            String name = nameAddress == 0 ? "" : memory.readCString(nameAddress, 4096);
            objects.add(new LoadedObject(at, word(e, 0, 8), name == null ? "" : name, word(e, 16, 8)));
            at = word(e, 24, 8);
        }
        return Optional.of(new LinkMap(rDebug, version, brk, state, ldbase, objects));
    }

    private static long word(byte[] b, int offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[offset + i] & 0xff);
        }
        return v;
    }

    /** The entry whose name ends with {@code fileName} (e.g. {@code "libc.so.6"}). */
    public Optional<LoadedObject> find(String fileName) {
        return objects.stream().filter(o -> o.name().endsWith("/" + fileName) || o.name().equals(fileName)).findFirst();
    }
}
