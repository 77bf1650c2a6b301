package dev.multitrace.symbols;

import dev.multitrace.symbols.elf.SymbolException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSegment;

/**
 * An x86-64 Linux core file (the kernel's, or gdb's {@code gcore}): the threads' registers
 * ({@code NT_PRSTATUS}), the mapped files ({@code NT_FILE}, which become a {@link LoadMap}), the auxiliary
 * vector ({@code NT_AUXV}) and the memory of its {@code PT_LOAD} segments. Memory a core leaves out (the
 * unmodified pages of mapped files, dumped as {@code p_filesz} 0) is read from the mapped file itself, as
 * gdb does. Malformed cores give a {@link SymbolException} naming the file and the part ("notes",
 * "NT_FILE", ...).
 */
public final class CoreFile implements MemoryReader {

    private static final int NT_PRSTATUS = 1;
    /** Offset of pr_cursig (a short after pr_info, three ints) in x86-64's elf_prstatus. */
    private static final int PR_CURSIG = 12;
    private static final int NT_PRFPREG = 2;
    /** Where xmm0..xmm15 are in the {@code fxsave} area of NT_PRFPREG, and their size. */
    private static final int FXSAVE_XMM = 160;
    private static final int XMM_BYTES = 256;
    private static final int NT_AUXV = 6;
    private static final int NT_FILE = 0x46494c45;
    /** Offset of {@code pr_pid} and {@code pr_reg} in x86-64 {@code struct elf_prstatus}. */
    private static final int PR_PID = 32;
    private static final int PR_REG = 112;

    /** One thread at the time of the dump. */
    public record CoreThread(int tid, int signal, Registers registers, Map<String, Long> otherRegisters) {
    }

    private final ElfFile elf;
    private final List<CoreThread> threads = new ArrayList<>();
    private final List<LoadMap.Mapping> mappings = new ArrayList<>();
    private final List<ElfSegment> loads = new ArrayList<>();
    private final Map<String, Optional<FileChannel>> mappedFiles = new ConcurrentHashMap<>();
    private final ByteReader whole;
    private Auxv auxv = Auxv.parse(new byte[0]);

    private CoreFile(ElfFile elf, ByteReader whole) {
        this.elf = elf;
        this.whole = whole;
        if (elf.type() != ElfFile.ET_CORE) {
            throw new SymbolException(elf.name(), "ELF header", "not a core file (type " + elf.type() + ")");
        }
        if (elf.machine() != ElfFile.EM_X86_64) {
            throw new SymbolException(elf.name(), "ELF header", "core of machine " + elf.machine() + ", only x86-64 is supported");
        }
        for (ElfSegment s : elf.segments()) {
            if (s.type() == ElfSegment.PT_NOTE) {
                readNotes(whole.slice(s.offset(), s.filesz(), "notes"));
            } else if (s.isLoad()) {
                whole.slice(s.offset(), s.filesz(), "PT_LOAD segment " + s.index()); // checks it is inside the file
                loads.add(s);
            }
        }
    }

    public static CoreFile open(Path file) {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new SymbolException(name, null, "core file too large (" + size + " bytes)");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return parse(name, buf);
        } catch (IOException e) {
            throw new SymbolException(name, null, "cannot read: " + e, e);
        }
    }

    /** Parses an in-memory core image; {@code name} is used in error messages. */
    public static CoreFile parse(String name, ByteBuffer image) {
        ElfFile elf = ElfFile.parse(name, image);
        return new CoreFile(elf, new ByteReader(image.slice(), 0, image.remaining(), elf.order(), name, "core"));
    }

    private void readNotes(ByteReader notes) {
        while (notes.remaining() >= 12) {
            long namesz = notes.u32();
            long descsz = notes.u32();
            long type = notes.u32();
            notes.skip(namesz);
            notes.skip(Math.min((4 - (namesz & 3)) & 3, notes.remaining()));
            ByteReader desc = notes.slice(notes.pos(), descsz, sectionName(type));
            notes.skip(descsz);
            notes.skip(Math.min((4 - (descsz & 3)) & 3, notes.remaining()));
            switch ((int) type) {
                case NT_PRSTATUS -> readPrstatus(desc);
                case NT_PRFPREG -> readFpregs(desc);
                case NT_AUXV -> auxv = Auxv.parse(desc.toByteArray());
                case NT_FILE -> readFileNote(desc);
                default -> {
                    // floating point, siginfo, xstate, gdb's target description: not needed here
                }
            }
        }
    }

    private static String sectionName(long type) {
        return switch ((int) type) {
            case NT_PRSTATUS -> "NT_PRSTATUS";
            case NT_AUXV -> "NT_AUXV";
            case NT_PRFPREG -> "NT_PRFPREG";
            case NT_FILE -> "NT_FILE";
            default -> "note type 0x" + Long.toHexString(type);
        };
    }

    /** The kernel's user_regs_struct, word by word; null: a register the unwinder has (rax..r15, rip) or orig_rax. */
    private static final String[] USER_REGS_NAMES = { null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, "cs", "eflags", null, "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs" };

    private void readPrstatus(ByteReader d) {
        // pr_cursig, which the kernel and gdb's gcore both set; pr_info.si_signo (offset 0) gcore leaves 0
        int signal = d.seek(PR_CURSIG).u16();
        int tid = (int) d.seek(PR_PID).u32();
        d.seek(PR_REG);
        long[] words = new long[Registers.USER_REGS_WORDS];
        for (int i = 0; i < words.length; i++) {
            words[i] = d.u64();
        }
        // user_regs_struct's words the unwinder does not use: what the Registers view shows beside them
        Map<String, Long> other = new LinkedHashMap<>();
        for (int i = 0; i < USER_REGS_NAMES.length; i++) {
            if (USER_REGS_NAMES[i] != null) {
                other.put(USER_REGS_NAMES[i], words[i]);
            }
        }
        threads.add(new CoreThread(tid, signal, Registers.fromUserRegs(words), Map.copyOf(other)));
    }

    /** The thread's floating-point registers follow its NT_PRSTATUS: its xmm registers (gcc's doubles at -O2). */
    private void readFpregs(ByteReader d) {
        if (threads.isEmpty() || d.size() < FXSAVE_XMM + XMM_BYTES) {
            return;
        }
        CoreThread t = threads.remove(threads.size() - 1);
        byte[] xmm = d.seek(FXSAVE_XMM).bytes(XMM_BYTES);
        threads.add(new CoreThread(t.tid(), t.signal(), t.registers().withVectors(xmm), t.otherRegisters()));
    }

    private void readFileNote(ByteReader d) {
        long count = d.u64();
        long pageSize = d.u64();
        if (count < 0 || count > d.remaining() / 24) {
            throw d.error("NT_FILE claims " + Long.toUnsignedString(count) + " mappings in " + d.size() + " bytes");
        }
        long[][] ranges = new long[(int) count][];
        for (int i = 0; i < count; i++) {
            ranges[i] = new long[] {d.u64(), d.u64(), d.u64()};
        }
        for (int i = 0; i < count; i++) {
            String path = d.cstring();
            long[] r = ranges[i];
            mappings.add(new LoadMap.Mapping(r[0], r[1], permissions(r[0]), r[2] * pageSize, "00:00", inode(path), path));
        }
    }

    /** The permissions of the core segment at {@code start} (NT_FILE does not record them). */
    private String permissions(long start) {
        for (ElfSegment s : elf.segments()) {
            if (s.isLoad() && s.vaddr() == start) {
                return ((s.flags() & ElfSegment.PF_R) != 0 ? "r" : "-") + ((s.flags() & ElfSegment.PF_W) != 0 ? "w" : "-")
                        + ((s.flags() & ElfSegment.PF_X) != 0 ? "x" : "-") + "p";
            }
        }
        return "r--p";
    }

    private static long inode(String path) {
        try {
            Object ino = Files.getAttribute(Path.of(path), "unix:ino");
            return ino instanceof Number n ? n.longValue() : 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return 0; // the file is gone: its mapping is anonymous as far as symbols go
        }
    }

    public String name() {
        return elf.name();
    }

    /** The threads, in the order of their NT_PRSTATUS notes (the one that dumped or faulted first). */
    public List<CoreThread> threads() {
        return Collections.unmodifiableList(threads);
    }

    /** The mapped files of NT_FILE, as a load map (anonymous memory is not listed in a core). */
    public LoadMap loadMap() {
        return LoadMap.of(mappings);
    }

    public Auxv auxv() {
        return auxv;
    }

    @Override
    public int read(long address, byte[] into, int offset, int length) {
        int total = 0;
        while (total < length) {
            int n = readSome(address + total, into, offset + total, length - total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private int readSome(long address, byte[] into, int offset, int length) {
        for (ElfSegment s : loads) {
            long rel = address - s.vaddr();
            if (Long.compareUnsigned(rel, s.memsz()) < 0) {
                int n = (int) Math.min(length, s.memsz() - rel);
                if (rel < s.filesz()) {
                    n = (int) Math.min(n, s.filesz() - rel);
                    ByteReader r = whole.slice(s.offset() + rel, n);
                    System.arraycopy(r.bytes(n), 0, into, offset, n);
                    return n;
                }
                return readMappedFile(address, into, offset, n);
            }
        }
        return readMappedFile(address, into, offset, length);
    }

    /** Memory the core left out, from the file mapped there. */
    private int readMappedFile(long address, byte[] into, int offset, int length) {
        for (LoadMap.Mapping m : mappings) {
            if (m.contains(address)) {
                Optional<FileChannel> ch = mappedFiles.computeIfAbsent(m.path(), p -> {
                    try {
                        return Optional.of(FileChannel.open(Path.of(p), StandardOpenOption.READ));
                    } catch (IOException | RuntimeException e) {
                        return Optional.empty();
                    }
                });
                if (ch.isEmpty()) {
                    return 0;
                }
                int n = (int) Math.min(length, m.end() - address);
                try {
                    int got = ch.get().read(ByteBuffer.wrap(into, offset, n), m.offset() + (address - m.start()));
                    return Math.max(got, 0);
                } catch (IOException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return "CoreFile[" + elf.name() + ", " + threads.size() + " threads, " + mappings.size() + " file mappings]";
    }
}
