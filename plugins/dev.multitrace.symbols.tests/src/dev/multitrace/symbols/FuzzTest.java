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

import dev.multitrace.symbols.dwarf.LineTable;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSection;
import dev.multitrace.symbols.elf.ElfSymbol;

/** Mutated and truncated binaries: every failure is a SymbolException naming the file and section; no hang. */
class FuzzTest {

    private static final int CASES = 300;
    private static final String[] TARGET_SECTIONS = {".debug_line", ".debug_line_str", ".debug_info", ".debug_abbrev", ".debug_str", ".symtab",
            ".strtab", ".dynsym", ".dynstr", ".note.gnu.build-id", ".gnu_debuglink", ".shstrtab"};

    @Test
    void mutatedFilesFailCleanly() throws Exception {
        List<String> bases = List.of("symprog_o2", "symprog_gz", "symprog_dwarf4", "symprog");
        byte[][] images = new byte[bases.size()][];
        ElfFile[] parsed = new ElfFile[bases.size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = Files.readAllBytes(Targets.program(bases.get(i)));
            parsed[i] = ElfFile.parse(bases.get(i), images[i]);
        }
        Random random = new Random(20240501L);
        int ok = 0;
        int failed = 0;
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
            } else {
                throw new AssertionError(name + ": not a SymbolException", t);
            }
        }
        System.out.println("fuzz: " + CASES + " mutated files, " + ok + " read fully, " + failed + " rejected with a SymbolException");
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
            return null;
        } catch (Throwable t) {
            return t;
        }
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
