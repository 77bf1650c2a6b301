package dev.multitrace.symbols.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.testing.TestPrograms;

/**
 * The CFI interpreter against binutils: every row {@code readelf --debug-dump=frames-interp} prints (libc,
 * ld.so, our programs, .eh_frame and .debug_frame) has the same CFA rule and register rules here.
 */
class CallFrameInfoTest {

    private static final String[] FILES = {"/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"};
    private static final String[] PROGRAMS = {"unwprog", "unwprog_o2", "unwprog_debugframe", "libunwlib.so"};

    @Test
    void everyRowMatchesReadelfFramesInterp() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String f : FILES) {
            files.add(Path.of(f));
        }
        for (String p : PROGRAMS) {
            files.add(TestPrograms.dir().resolve(p));
        }
        int total = 0;
        for (Path file : files) {
            CallFrameInfo cfi = CallFrameInfo.uncached(ElfFile.open(file));
            String[] columns = null;
            int rows = 0;
            List<String> mismatches = new ArrayList<>();
            boolean inCie = false;
            long fdeEnd = 0;
            for (String line : readelf(file).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && (f[3].equals("CIE") || f[3].equals("FDE"))) {
                    inCie = f[3].equals("CIE"); // a CIE's own table (at LOC 0) describes no code
                    int dots = line.indexOf("..");
                    fdeEnd = inCie || dots < 0 ? 0 : Long.parseUnsignedLong(line.substring(dots + 2).trim().split("\\s+")[0], 16);
                    continue;
                }
                if (inCie || f[0].matches("[0-9a-f]{16}") && Long.compareUnsigned(Long.parseUnsignedLong(f[0], 16), fdeEnd) >= 0) {
                    // readelf also prints a row an FDE's last advance_loc reaches at the end of its range (ld's
                    // .plt FDE does that): that address belongs to the next FDE
                    continue;
                }
                if (f.length >= 2 && f[0].equals("LOC") && f[1].equals("CFA")) {
                    columns = f;
                    continue;
                }
                if (line.isBlank() || columns == null || !f[0].matches("[0-9a-f]{16}") || f.length != columns.length) {
                    if (line.isBlank()) {
                        columns = null;
                    }
                    continue;
                }
                long loc = Long.parseUnsignedLong(f[0], 16);
                UnwindRow row = cfi.rowAt(loc).orElse(null);
                if (row == null) {
                    mismatches.add("0x" + f[0] + ": no FDE");
                    continue;
                }
                StringBuilder expected = new StringBuilder();
                StringBuilder ours = new StringBuilder();
                expected.append(f[1]);
                ours.append(row.cfaExpression() != null ? "exp" : Registers.name(row.cfaRegister()) + (row.cfaOffset() >= 0 ? "+" : "") + row.cfaOffset());
                for (int c = 2; c < columns.length; c++) {
                    int reg = columns[c].equals("ra") ? row.returnAddress() : register(columns[c]);
                    if (reg < 0) {
                        continue; // a column beyond the general registers (vector registers): not unwound
                    }
                    expected.append(' ').append(columns[c]).append('=').append(f[c]);
                    ours.append(' ').append(columns[c]).append('=').append(render(row.rule(reg)));
                }
                rows++;
                if (!expected.toString().equals(ours.toString())) {
                    mismatches.add("0x" + f[0] + ": readelf " + expected + " | ours " + ours);
                }
            }
            assertTrue(mismatches.isEmpty(), file + ": " + mismatches.size() + " of " + rows + " rows differ, e.g. " + mismatches.subList(0, Math.min(5, mismatches.size())));
            assertTrue(rows > 5, file + ": rows " + rows);
            System.out.println(file + ": " + rows + " CFI rows as readelf --debug-dump=frames-interp");
            total += rows;
        }
        System.out.println("CFI rows checked against readelf: " + total);
    }

    @Test
    void sharedPerBuildIdOnlyForFilesOnDisk() throws Exception {
        Path libc = Path.of(FILES[0]);
        assertSame(CallFrameInfo.of(ElfFile.open(libc)), CallFrameInfo.of(ElfFile.open(libc)), "one instance per build-id");
        byte[] image = Files.readAllBytes(libc);
        ElfFile copy = ElfFile.parse("copy", image);
        assertNotSame(CallFrameInfo.of(ElfFile.open(libc)), CallFrameInfo.of(copy), "an in-memory copy (perhaps edited) is not shared");
        assertSame(CallFrameInfo.of(copy), CallFrameInfo.of(copy));
    }

    private static int register(String name) {
        for (int r = 0; r < Registers.COUNT; r++) {
            if (Registers.name(r).equals(name)) {
                return r;
            }
        }
        return -1;
    }

    /** readelf's notation: u undefined (or no rule), s same value, c+N offset, v+N value offset, a register name, exp, vexp. */
    private static String render(UnwindRow.Rule rule) {
        if (rule == null) {
            return "u";
        }
        return switch (rule.kind()) {
            case UNDEFINED -> "u";
            case SAME_VALUE -> "s";
            case OFFSET -> "c" + (rule.offset() >= 0 ? "+" : "") + rule.offset();
            case VAL_OFFSET -> "v" + (rule.offset() >= 0 ? "+" : "") + rule.offset();
            case REGISTER -> Registers.name(rule.register());
            case EXPRESSION -> "exp";
            case VAL_EXPRESSION -> "vexp";
        };
    }

    private static String readelf(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("readelf", "--debug-dump=frames-interp", file.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        // readelf exits 1 on libc (it cannot follow the .gnu_debuglink in this mode) but prints every frame: rows are counted
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new String(out, StandardCharsets.UTF_8);
    }
}
