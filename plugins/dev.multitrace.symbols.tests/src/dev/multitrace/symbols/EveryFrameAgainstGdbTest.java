package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;
import dev.multitrace.symbols.values.DataSymbols;
import dev.multitrace.symbols.values.FrameScope;
import dev.multitrace.symbols.values.ValueFormat;

/**
 * {@code info args} and {@code info locals} in every frame of gdb's backtrace (libc's frames too, with its
 * separate debug file when installed), for the unwinding test program's stops: nested calls, recursion, a
 * signal handler, a blocking read in libc, inlined functions. One known difference: in libc's read(),
 * whose concrete block inherits variables from abstract blocks no concrete block stands for, we list the
 * same variables as gdb but not in gdb's order (gdb's hash table for that block has a bucket count we do not
 * reproduce); the test allows that one reordering and no other difference.
 */
class EveryFrameAgainstGdbTest {

    private static final List<List<String>> SCENARIOS = List.of(List.of("nested", "break stop_here", "run"), List.of("recursion", "break stop_here", "run"),
            List.of("signal", "handle SIGUSR1 nostop noprint pass", "break stop_here", "run"), List.of("read", "break read_stdin", "run", "catch syscall read", "continue"),
            List.of("inline", "break stop_here", "run"));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"unwprog", "unwprog_o2"})
    void everyFrameMatchesGdb(String program) throws Exception {
        int compared = 0;
        int reordered = 0;
        List<String> diffs = new ArrayList<>();
        for (List<String> s : SCENARIOS) {
            List<String> setup = new ArrayList<>(s.subList(1, s.size()));
            List<String> queries = new ArrayList<>();
            for (int f = 0; f < 12; f++) {
                queries.add("frame " + f);
                queries.add("info args");
                queries.add("info locals");
            }
            Path core = tmp.resolve(program + "." + s.get(0) + ".core");
            GdbStop stop = GdbStop.run(Targets.program(program), List.of(s.get(0)), core, withQueries(setup, queries));
            GdbSession gdb = GdbSession.parse(stop);
            CoreFile c = CoreFile.open(core);
            ProcessSymbols symbols = new ProcessSymbols(c.loadMap());
            List<Frame> frames = Unwinder.unwind(c.threads().get(0).registers(), c, symbols);
            ValueFormat format = new ValueFormat(c, new DataSymbols(symbols)::describe, false);
            int n = Math.min(stop.backtrace().size(), 12);
            for (int f = 0; f < n && f < frames.size(); f++) {
                if (stop.backtrace().get(f).function().startsWith("<signal")) {
                    continue;
                }
                FrameScope scope = FrameScope.of(symbols, c, frames, f);
                String[][] pairs = {{"info args", GdbSession.infoLines(scope.arguments(), format, "No arguments.")},
                        {"info locals", GdbSession.infoLines(scope.locals(), format, "No locals.")}};
                for (int q = 0; q < 2; q++) {
                    String expected = gdb.answerAt(3 * f + 1 + q);
                    if (expected.startsWith("No symbol table info")) {
                        continue; // gdb has no debug info for this frame's function
                    }
                    compared++;
                    if (!expected.equals(pairs[q][1]) && sorted(expected).equals(sorted(pairs[q][1]))) {
                        // the same variables in another order: see the class comment
                        System.out.println(program + " " + s.get(0) + " frame " + f + ": same lines as gdb in another order");
                        reordered++;
                    } else if (!expected.equals(pairs[q][1])) {
                        diffs.add(program + " " + s.get(0) + " frame " + f + " (" + frames.get(f).functionName() + ") " + pairs[q][0] + "\n  gdb:  "
                                + expected.replace("\n", "\n        ") + "\n  ours: " + pairs[q][1].replace("\n", "\n        "));
                    }
                }
            }
        }
        diffs.forEach(System.out::println);
        System.out.println(program + ": " + compared + " frame listings compared, " + diffs.size() + " differ, " + reordered + " in another order");
        assertTrue(compared > 20, "compared " + compared);
        assertEquals(List.of(), diffs);
        assertTrue(reordered <= 1, "only libc's read() lists its variables in another order than gdb: " + reordered);
    }

    private static List<String> sorted(String lines) {
        return java.util.Arrays.stream(lines.split("\n")).sorted().toList();
    }

    private static String[] withQueries(List<String> setup, List<String> queries) {
        return GdbSession.commands(setup, queries).toArray(String[]::new);
    }
}
