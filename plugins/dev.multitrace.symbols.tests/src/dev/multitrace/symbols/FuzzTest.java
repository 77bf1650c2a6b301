package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.DebugInfo;
import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSection;
import dev.multitrace.symbols.elf.ElfSymbol;
import dev.multitrace.symbols.unwind.CallFrameInfo;
import dev.multitrace.symbols.unwind.Unwinder;

/** Mutated and truncated binaries: every failure is a SymbolException naming the file and section; no hang. */
class FuzzTest {

    private static final int CASES = 300;
    private static final String[] TARGET_SECTIONS = {".debug_line", ".debug_line_str", ".debug_info", ".debug_abbrev", ".debug_str", ".symtab",
            ".strtab", ".dynsym", ".dynstr", ".note.gnu.build-id", ".gnu_debuglink", ".shstrtab", ".eh_frame", ".eh_frame", ".debug_frame",
            ".debug_frame"};

    @Test
    void mutatedFilesFailCleanly() throws Exception {
        List<String> bases = List.of("symprog_o2", "symprog_gz", "symprog_zstd", "symprog_dwarf4", "symprog", "unwprog_debugframe");
        byte[][] images = new byte[bases.size()][];
        ElfFile[] parsed = new ElfFile[bases.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = Files.readAllBytes(Targets.program(bases.get(i)));
            parsed[i] = ElfFile.parse(bases.get(i), images[i]);
        }
        Random random = new Random(20240501L);
        int ok = 0;
        int failed = 0;
        java.util.Map<String, Integer> bySection = new java.util.TreeMap<>();
        for (int c = 0; c < CASES; c++) {
            int b = random.nextInt(images.length);
            byte[] image = mutate(images[b], parsed[b], random);
            String name = "fuzz-" + c + "-" + bases.get(b);
            Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> exercise(name, image), name + " hangs");
            if (t == null) {
                ok++;
            } else if (t instanceof SymbolException e) {
                assertEquals(name, e.file(), name);
                assertNotNull(e.section(), name + ": " + e.getMessage());
                assertTrue(e.getMessage().startsWith(name + ": " + e.section() + ": "), e.getMessage());
                failed++;
                bySection.merge(e.section().replaceFirst(" \\(.*", ""), 1, Integer::sum);
            } else {
                throw new AssertionError(name + ": not a SymbolException", t);
            }
        }
        System.out.println("fuzz: " + CASES + " mutated files, " + ok + " read fully, " + failed + " rejected with a SymbolException, by section " + bySection);
        assertTrue(bySection.getOrDefault(".eh_frame", 0) + bySection.getOrDefault(".debug_frame", 0) > 3, "CFI errors among " + bySection);
        assertTrue(failed > 30 && ok > 30, "mutations should both break and spare files: ok " + ok + ", failed " + failed);
    }

    private static Throwable exercise(String name, byte[] image) {
        try {
            ElfFile elf = ElfFile.parse(name, image);
            elf.buildId();
            elf.debugLink();
            for (ElfSection s : elf.sections()) {
                if (s.name().startsWith(".debug") || s.type() == ElfSection.SHT_STRTAB) {
                    elf.data(s);
                }
            }
            var symbols = elf.symbols();
            LineTable lines = LineTable.read(elf);
            for (ElfSymbol s : symbols.functions()) {
                symbols.functionAt(s.value() + 1);
                symbols.addressOf(s.name());
                lines.lookup(s.value());
            }
            for (String f : lines.files()) {
                lines.addressesFor(f, 20);
            }
            // the DIE tree: the scopes (functions, blocks, inlined instances) at every function, and their names
            DebugInfo info = DebugInfo.of(elf);
            for (ElfSymbol s : symbols.functions()) {
                for (DebugInfo.Scope scope : info.scopesAt(s.value() + 1)) {
                    info.name(scope);
                    info.callFile(scope, lines);
                }
            }
            // call frame information: index every FDE, the rules at each function, and a whole unwind through
            // them over a made-up stack (the unwinder itself falls back to frame pointers on bad CFI: no throw)
            CallFrameInfo cfi = CallFrameInfo.uncached(elf);
            cfi.ranges();
            ProcessSymbols process = ProcessSymbols.of(List.of(new LoadedModule(elf, 0)));
            MemoryReader stack = fakeStack();
            for (ElfSymbol s : symbols.functions()) {
                cfi.rowAt(s.value() + 1);
                Unwinder.unwind(Registers.of(s.value() + 1, STACK + 0x100, STACK + 0x180), stack, process);
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /**
     * Mutations of the DIE tree only ({@code .debug_info} or {@code .debug_abbrev}, a few bytes each, in DWARF 5
     * and DWARF 4 builds): the scope lookups, names and call sites either work or throw a SymbolException that
     * names the file and a DWARF section; never a hang or another exception. The unwinder, which asks for inlined
     * frames at every pc, still unwinds.
     */
    @Test
    void mutatedDieTreeFailsCleanly() throws Exception {
        Random random = new Random(4242L);
        int ok = 0;
        int failed = 0;
        java.util.Map<String, Integer> bySection = new java.util.TreeMap<>();
        for (String base : List.of("unwprog_o2", "symprog_o2", "symprog_dwarf4", "symprog")) {
            byte[] original = Files.readAllBytes(Targets.program(base));
            ElfFile parsed = ElfFile.parse(base, original);
            for (int c = 0; c < 60; c++) {
                byte[] image = original.clone();
                String target = c % 2 == 0 ? ".debug_info" : ".debug_abbrev";
                ElfSection s = parsed.section(target).orElseThrow();
                int pokes = 1 + random.nextInt(6);
                for (int i = 0; i < pokes; i++) {
                    image[(int) s.offset() + random.nextInt((int) s.size())] = (byte) random.nextInt(256);
                }
                String name = "die-fuzz-" + c + "-" + base;
                Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> exercise(name, image), name + " hangs");
                if (t == null) {
                    ok++;
                } else if (t instanceof SymbolException e) {
                    assertEquals(name, e.file());
                    assertNotNull(e.section(), e.getMessage());
                    assertTrue(e.section().startsWith(".debug_"), e.getMessage());
                    assertTrue(e.getMessage().startsWith(name + ": " + e.section() + ": "), e.getMessage());
                    failed++;
                    bySection.merge(e.section().replaceFirst(" \\(.*", ""), 1, Integer::sum);
                } else {
                    throw new AssertionError(name + ": not a SymbolException", t);
                }
            }
        }
        System.out.println("DIE fuzz: 240 files with mutated .debug_info/.debug_abbrev, " + ok + " read, " + failed + " rejected, by section " + bySection);
        assertTrue(failed > 20 && ok > 20, "ok " + ok + ", failed " + failed);
    }

    /** Mutations of the CFI sections only, many bytes each: CIEs, FDEs, augmentations, instructions, expressions. */
    @Test
    void mutatedCallFrameInformationFailsCleanly() throws Exception {
        Random random = new Random(77L);
        int ok = 0;
        int failed = 0;
        for (String base : List.of("unwprog_o2", "unwprog_debugframe", "unwprog")) {
            byte[] original = Files.readAllBytes(Targets.program(base));
            ElfFile parsed = ElfFile.parse(base, original);
            for (int c = 0; c < 80; c++) {
                byte[] image = original.clone();
                String target = c % 2 == 0 || parsed.section(".debug_frame").isEmpty() ? ".eh_frame" : ".debug_frame";
                ElfSection s = parsed.section(target).orElseThrow();
                int pokes = 1 + random.nextInt(8);
                for (int i = 0; i < pokes; i++) {
                    image[(int) s.offset() + random.nextInt((int) s.size())] = (byte) random.nextInt(256);
                }
                String name = "cfi-fuzz-" + c + "-" + base;
                Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> exercise(name, image), name + " hangs");
                if (t == null) {
                    ok++;
                } else if (t instanceof SymbolException e) {
                    assertEquals(name, e.file());
                    assertEquals(target, e.section(), e.getMessage());
                    failed++;
                } else {
                    throw new AssertionError(name + ": not a SymbolException", t);
                }
            }
        }
        System.out.println("CFI fuzz: 240 files with mutated .eh_frame/.debug_frame, " + ok + " unwound, " + failed + " rejected naming the CFI section");
        assertTrue(failed > 20 && ok > 20, "ok " + ok + ", failed " + failed);
    }

    /** Mutated and truncated gdb cores: CoreFile, its load map, memory, link map and an unwind fail cleanly. */
    @Test
    void mutatedCoreFilesFailCleanly(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path corePath = tmp.resolve("nested.core");
        GdbStop.run(Targets.program("unwprog_o2"), List.of("nested"), corePath, "break stop_here", "run");
        byte[] original = Files.readAllBytes(corePath);
        ElfFile parsed = ElfFile.parse("core", original);
        var notes = parsed.segments().stream().filter(p -> p.type() == dev.multitrace.symbols.elf.ElfSegment.PT_NOTE).findFirst().orElseThrow();
        Random random = new Random(99L);
        int ok = 0;
        int failed = 0;
        for (int c = 0; c < 150; c++) {
            byte[] image;
            switch (c % 3) {
                case 0 -> image = Arrays.copyOf(original, random.nextInt(original.length));
                case 1 -> {
                    image = original.clone();
                    poke(image, (int) notes.offset(), (int) Math.min(notes.filesz(), 2048), random);
                }
                default -> {
                    image = original.clone();
                    poke(image, 0, 64 + 56 * parsed.segments().size(), random);
                }
            }
            String name = "core-fuzz-" + c;
            byte[] img = image;
            Throwable t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    CoreFile core = CoreFile.parse(name, ByteBuffer.wrap(img));
                    ProcessSymbols symbols = new ProcessSymbols(core.loadMap());
                    LinkMap.read(core, core.auxv());
                    for (CoreFile.CoreThread thread : core.threads()) {
                        Unwinder.unwind(thread.registers(), core, symbols);
                    }
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            }, name + " hangs");
            if (t == null) {
                ok++;
            } else if (t instanceof SymbolException e) {
                assertEquals(name, e.file());
                assertNotNull(e.section(), e.getMessage());
                failed++;
            } else {
                throw new AssertionError(name + ": not a SymbolException", t);
            }
        }
        System.out.println("core fuzz: 150 mutated or truncated cores, " + ok + " read and unwound, " + failed + " rejected with a SymbolException");
        assertTrue(failed > 10 && ok > 10, "ok " + ok + ", failed " + failed);
    }

    private static final long STACK = 0x7ff000000000L;

    /** 4 KiB of "stack" whose words point back into it or into the program: plausible, and finite. */
    private static MemoryReader fakeStack() {
        byte[] mem = new byte[4096];
        ByteBuffer b = ByteBuffer.wrap(mem).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 8 <= mem.length; i += 8) {
            b.putLong(i, i % 16 == 0 ? STACK + i + 64 : 0x1100 + i);
        }
        return (address, into, offset, length) -> {
            long rel = address - STACK;
            if (rel < 0 || rel >= mem.length) {
                return 0;
            }
            int n = (int) Math.min(length, mem.length - rel);
            System.arraycopy(mem, (int) rel, into, offset, n);
            return n;
        };
    }

    private static byte[] mutate(byte[] original, ElfFile elf, Random random) {
        byte[] image = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                return Arrays.copyOf(image, random.nextInt(image.length));
            }
            case 1 -> poke(image, 0, 64 + 56 * 13, random); // ELF header and program headers
            case 2 -> {
                long shoff = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(40);
                poke(image, (int) shoff, image.length - (int) shoff, random);
            }
            default -> {
                String target = TARGET_SECTIONS[random.nextInt(TARGET_SECTIONS.length)];
                ElfSection s = elf.section(target).orElse(elf.section(".debug_line").orElseThrow());
                poke(image, (int) s.offset(), (int) Math.min(s.size(), 256), random);
            }
        }
        return image;
    }

    private static void poke(byte[] image, int from, int length, Random random) {
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n && length > 0; i++) {
            int at = from + random.nextInt(length);
            int[] interesting = {0, 0xff, 0x7f, 0x80, 0x01, random.nextInt(256)};
            image[at] = (byte) interesting[random.nextInt(interesting.length)];
        }
    }

    @Test
    void badLineTableNamesDebugLine() throws Exception {
        byte[] image = Files.readAllBytes(Targets.program("symprog"));
        ElfSection line = ElfFile.parse("x", image).section(".debug_line").orElseThrow();
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt((int) line.offset(), 0x7ffffff0);
        SymbolException e = assertThrows(SymbolException.class, () -> LineTable.read(ElfFile.parse("bad-line", image)));
        assertTrue(e.getMessage().startsWith("bad-line: .debug_line: unit at offset 0x0 has length"), e.getMessage());
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt((int) line.offset(), (int) line.size() - 4);
        image[(int) line.offset() + 4] = 9; // version 9
        e = assertThrows(SymbolException.class, () -> LineTable.read(ElfFile.parse("bad-version", image)));
        assertEquals("bad-version: .debug_line (unit at 0x0): unsupported line table version 9", e.getMessage());
        if (e.getMessage().isEmpty()) {
            fail();
        }
    }
}
