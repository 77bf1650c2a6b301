package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * The source line of every address where a line-table row of the program's own code starts, against gdb's
 * {@code info line *ADDRESS} on the same file: at -O2 gcc puts several rows at one address (location views), and
 * the line a stop shows there must be the one gdb shows (the last statement row).
 */
class LinesAgainstGdbTest {

    private static final Pattern LINE = Pattern.compile("^(?:Line (\\d+) of \"([^\"]+)\"|No line number information available)[^\\n]*?"
            + "(?:address (0x[0-9a-f]+)|for address (0x[0-9a-f]+))", Pattern.MULTILINE);

    @Test
    void everyRowStartHasGdbsLineInOptimizedAndUnoptimizedPrograms() throws Exception {
        for (String name : List.of("symprog", "symprog_o2", "varprog_o2", "unwprog_o2")) {
            Path program = Targets.program(name);
            LoadedModule module = new LoadedModule(ElfFile.open(program), 0);
            TreeSet<Long> starts = new TreeSet<>(Long::compareUnsigned);
            for (LineRow r : module.lineTable().rows()) {
                if (!r.endSequence() && r.file().startsWith(Targets.dir().getParent().getParent().toString())) {
                    starts.add(r.address());
                }
            }
            assertTrue(starts.size() > 20, name + ": rows of its own code");
            Path commands = Files.createTempFile("lines", ".gdb");
            try {
                List<String> lines = new ArrayList<>();
                for (long a : starts) {
                    lines.add("info line *0x" + Long.toHexString(a));
                }
                Files.write(commands, lines);
                String out = Targets.run(null, "gdb", "-nx", "-batch", "-ex", "set debuginfod enabled off", "-x", commands.toString(),
                        program.toString());
                int compared = 0;
                int several = 0;
                for (Matcher m = LINE.matcher(out); m.find();) {
                    String hex = m.group(3) != null ? m.group(3) : m.group(4);
                    long a = Long.parseUnsignedLong(hex.substring(2), 16);
                    if (!starts.contains(a)) {
                        continue; // an "ends at" or another address in the same sentence
                    }
                    Optional<LineRow> ours = module.lineAt(a);
                    String where = name + " at 0x" + Long.toHexString(a);
                    if (m.group(1) == null) {
                        assertTrue(ours.isEmpty() || ours.get().line() == 0, where + ": gdb has no line, we have " + ours);
                    } else {
                        assertTrue(ours.isPresent(), where + ": gdb has line " + m.group(1));
                        assertEquals(Integer.parseInt(m.group(1)), ours.get().line(), where + " (gdb: " + m.group(0) + ")");
                        assertEquals(Path.of(m.group(2)).getFileName(), Path.of(ours.get().file()).getFileName(), where);
                    }
                    compared++;
                    several += module.lineTable().rows().stream().filter(r -> r.address() == a && !r.endSequence()).count() > 1 ? 1 : 0;
                }
                assertEquals(starts.size(), compared, name + ": gdb answered for every address:\n" + out);
                System.out.printf("%s: %d row addresses (%d with several rows) on gdb's line%n", name, compared, several);
            } finally {
                Files.delete(commands);
            }
        }
    }
}
