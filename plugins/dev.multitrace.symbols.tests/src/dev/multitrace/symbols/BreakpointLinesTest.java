package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * file:line -> breakpoint addresses agree with where real gdb puts {@code break symprog.c:N}, for every line
 * of symprog.c that has code (link-time addresses: gdb shows those before the program runs): every location,
 * also the extra ones gdb makes per lexical block or inlined instance in -O2 builds.
 */
class BreakpointLinesTest {

    private static final Pattern SINGLE = Pattern.compile("^(\\d+)\\s+breakpoint\\s+keep\\s+y\\s+(0x[0-9a-f]+) ", Pattern.MULTILINE);
    private static final Pattern MULTIPLE = Pattern.compile("^(\\d+)\\.\\d+\\s+y\\s+(0x[0-9a-f]+) ", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"symprog", "symprog_o2", "symprog_nopie", "symprog_o2_nopie", "symprog_dwarf4", "unwprog", "unwprog_o2"})
    void lineBreakpointsAreWhereGdbPutsThem(String program) throws Exception {
        Path exe = Targets.program(program);
        LoadedModule module = new LoadedModule(ElfFile.open(exe), 0);
        String source = program.startsWith("unwprog") ? "unwprog.c" : "symprog.c";
        TreeSet<Integer> lines = new TreeSet<>();
        for (LineRow r : module.lineTable().rows()) {
            if (r.isStmt() && !r.endSequence() && r.line() > 0 && r.file().endsWith("/" + source)) {
                lines.add(r.line());
            }
        }
        assertTrue(lines.size() > 15, program + ": lines with code " + lines);
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
        for (int n : lines) {
            cmd.addAll(List.of("-ex", "break " + source + ":" + n));
        }
        cmd.addAll(List.of("-ex", "info breakpoints", exe.toString()));
        String out = Targets.run(null, cmd.toArray(String[]::new));
        Map<Integer, TreeSet<Long>> gdb = new LinkedHashMap<>();
        for (Pattern p : List.of(SINGLE, MULTIPLE)) {
            Matcher m = p.matcher(out);
            while (m.find()) {
                gdb.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new TreeSet<>()).add(Long.parseUnsignedLong(m.group(2).substring(2), 16));
            }
        }
        assertEquals(lines.size(), gdb.size(), program + ": gdb made a breakpoint for every line:\n" + out);
        List<String> mismatches = new ArrayList<>();
        int locations = 0;
        int k = 1;
        for (int n : lines) {
            TreeSet<Long> expected = gdb.get(k++);
            TreeSet<Long> ours = new TreeSet<>();
            Arrays.stream(module.breakpointAddresses(source, n)).forEach(ours::add);
            locations += expected.size();
            if (!expected.equals(ours)) {
                mismatches.add(source + ":" + n + " gdb " + hex(expected) + " ours " + hex(ours));
            }
        }
        assertTrue(mismatches.isEmpty(), program + ": " + mismatches.size() + " of " + lines.size() + " lines differ: " + mismatches);
        System.out.println(program + ": " + lines.size() + " line breakpoints, all " + locations + " locations at exactly gdb's addresses");
    }

    private static List<String> hex(TreeSet<Long> a) {
        return a.stream().map(x -> "0x" + Long.toHexString(x)).toList();
    }
}
