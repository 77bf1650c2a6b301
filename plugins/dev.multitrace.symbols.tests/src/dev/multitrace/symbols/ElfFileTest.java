package dev.multitrace.symbols;

import dev.multitrace.symbols.elf.SymbolException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.ElfSection;

/** ELF headers, sections, notes, debug links and compressed sections, checked against readelf. */
class ElfFileTest {

    @Test
    void headersSectionsAndBuildIdMatchReadelf() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String p : Targets.PROGRAMS) {
            files.add(Targets.program(p));
        }
        files.add(Targets.LIBC);
        for (Path file : files) {
            ElfFile elf = ElfFile.open(file);
            String header = Targets.run(null, "readelf", "-hW", file.toString());
            assertTrue(header.contains(elf.type() == ElfFile.ET_DYN ? "DYN (" : "EXEC ("), file + ": type " + elf.type());
            assertTrue(header.contains("Entry point address:               0x" + Long.toHexString(elf.entry())), file + ": entry");
            String sections = Targets.run(null, "readelf", "-SW", file.toString());
            Matcher m = Pattern.compile("\\[\\s*(\\d+)\\]\\s+(\\S+)\\s+\\S+\\s+([0-9a-f]{16})\\s+([0-9a-f]+)\\s+([0-9a-f]+)").matcher(sections);
            int n = 0;
            while (m.find()) {
                ElfSection s = elf.sections().get(Integer.parseInt(m.group(1)));
                assertEquals(m.group(2), s.name(), file + ": section " + s.index());
                assertEquals(Long.parseLong(m.group(3), 16), s.addr(), file + ": " + s.name());
                assertEquals(Long.parseLong(m.group(4), 16), s.offset(), file + ": " + s.name());
                assertEquals(Long.parseLong(m.group(5), 16), s.size(), file + ": " + s.name());
                n++;
            }
            assertEquals(elf.sections().size() - 1, n, file + ": section count");
            String notes = Targets.run(null, "readelf", "-n", file.toString());
            Matcher id = Pattern.compile("Build ID: ([0-9a-f]+)").matcher(notes);
            assertTrue(id.find(), file + ": readelf shows no build-id");
            assertEquals(id.group(1), elf.buildIdHex().orElseThrow(), file + ": build-id");
            String ph = Targets.run(null, "readelf", "-lW", file.toString());
            assertEquals(ph.lines().filter(l -> l.trim().startsWith("LOAD ")).count(), elf.segments().stream().filter(s -> s.isLoad()).count(),
                    file + ": PT_LOAD count");
        }
    }

    @Test
    void compressedSectionsAreInflated() throws Exception {
        checkCompressed("symprog_gz", 1);
    }

    /** ELFCOMPRESS_ZSTD (2) sections, as ld --compress-debug-sections=zstd writes them, decoded by aircompressor. */
    @Test
    void zstdSectionsAreDecoded() throws Exception {
        checkCompressed("symprog_zstd", 2);
    }

    private static void checkCompressed(String program, int chType) throws Exception {
        ElfFile elf = ElfFile.open(Targets.program(program));
        ElfSection line = elf.section(".debug_line").orElseThrow();
        assertTrue(line.isCompressed(), "built with --compress-debug-sections");
        assertEquals(chType, elf.rawData(line).u32(), "Elf64_Chdr.ch_type");
        Path plain = Files.createTempFile(program, ".plain");
        try {
            Targets.run(null, "objcopy", "--decompress-debug-sections", elf.name(), plain.toString());
            ElfFile p = ElfFile.open(plain);
            for (String name : new String[] {".debug_line", ".debug_line_str", ".debug_info", ".debug_str", ".debug_abbrev"}) {
                assertTrue(elf.section(name).orElseThrow().isCompressed(), name);
                assertTrue(java.util.Arrays.equals(p.data(name).orElseThrow().toByteArray(), elf.data(name).orElseThrow().toByteArray()), name);
            }
        } finally {
            Files.delete(plain);
        }
    }

    @Test
    void debugLinkOfLibc() {
        ElfFile libc = ElfFile.open(Targets.LIBC);
        ElfFile.DebugLink link = libc.debugLink().orElseThrow();
        assertTrue(link.fileName().endsWith(".debug"), link.toString());
        List<Path> candidates = libc.debugFileCandidates(Path.of("/usr/lib/debug"));
        String hex = libc.buildIdHex().orElseThrow();
        assertEquals(Path.of("/usr/lib/debug/.build-id/" + hex.substring(0, 2) + "/" + hex.substring(2) + ".debug"), candidates.get(0));
    }

    @Test
    void errorsNameFileAndSection() throws Exception {
        SymbolException e = assertThrows(SymbolException.class, () -> ElfFile.parse("x.bin", new byte[] {0x7f, 'E', 'L', 'F', 2, 1}));
        assertEquals("x.bin", e.file());
        assertEquals("ELF header", e.section());
        assertTrue(e.getMessage().startsWith("x.bin: ELF header: truncated"), e.getMessage());
        e = assertThrows(SymbolException.class, () -> ElfFile.parse("y.bin", "hello, world".getBytes()));
        assertTrue(e.getMessage().contains("not an ELF file"), e.getMessage());
        byte[] image = Files.readAllBytes(Targets.program("symprog"));
        ElfFile ok = ElfFile.open(Targets.program("symprog"));
        ElfSection line = ok.section(".debug_line").orElseThrow();
        byte[] cut = java.util.Arrays.copyOf(image, (int) (line.offset() + line.size() / 2));
        // headers at the end are gone too: the error is about them
        e = assertThrows(SymbolException.class, () -> ElfFile.parse("cut.bin", cut));
        assertEquals("cut.bin", e.file());
        assertTrue(e.getMessage().startsWith("cut.bin: section headers: "), e.getMessage());
        e = assertThrows(SymbolException.class, () -> ElfFile.open(Path.of("/nonexistent/file")));
        assertTrue(e.getMessage().startsWith("/nonexistent/file: cannot read"), e.getMessage());
    }
}
