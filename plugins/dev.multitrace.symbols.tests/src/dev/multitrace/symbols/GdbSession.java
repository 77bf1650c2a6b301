package dev.multitrace.symbols;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;
import dev.multitrace.symbols.values.FrameScope;

/**
 * Runs gdb to a stop (GdbStop: a core written with gcore there) with a list of queries ({@code info
 * locals}, {@code print x}, {@code ptype t}...) and gives back each query's output text, cut out of gdb's
 * output between echoed markers. The test then asks the same of our symbol layer on the core, so both
 * read identical memory and registers.
 */
record GdbSession(GdbStop stop, Map<String, String> answers, List<String> inOrder) {

    private static final String MARK = "@@@ ";

    /** {@code setup} runs the program to the stop (and selects the frame); {@code queries} are then asked. */
    static GdbSession run(Path program, Path core, List<String> setup, List<String> queries) throws IOException, InterruptedException {
        GdbStop stop = GdbStop.run(program, List.of(), core, commands(setup, queries).toArray(String[]::new));
        return parse(stop);
    }

    /** gdb's commands: {@code setup}, then each query after a marker line. */
    static List<String> commands(List<String> setup, List<String> queries) {
        List<String> commands = new ArrayList<>(setup);
        for (String q : queries) {
            commands.add("echo \\n" + MARK + q.replace("\\", "\\\\") + "\\n"); // output prints no newline of its own
            commands.add(q);
        }
        commands.add("echo \\n" + MARK + "end\\n");
        return commands;
    }

    /** Cuts the answers to the queries of {@link #commands} out of gdb's output, in order. */
    static GdbSession parse(GdbStop stop) {
        Map<String, String> answers = new LinkedHashMap<>();
        List<String> inOrder = new ArrayList<>();
        String current = null;
        StringBuilder text = new StringBuilder();
        for (String line : stop.output().split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (current != null) {
                    answers.put(current, text.toString().strip());
                    inOrder.add(text.toString().strip());
                }
                current = line.substring(MARK.length());
                text.setLength(0);
            } else if (current != null) {
                text.append(line).append('\n');
            }
        }
        return new GdbSession(stop, answers, inOrder);
    }

    /** The answer to the {@code index}-th query (queries may repeat, as {@code info locals} in each frame). */
    String answerAt(int index) {
        return index < inOrder.size() ? inOrder.get(index) : "";
    }

    /** A stop of a test program as gdb saw it, and the same stop as we read it from gdb's core: frame 1's scope. */
    record Stopped(GdbSession gdb, CoreFile core, ProcessSymbols symbols, List<Frame> frames, FrameScope scope) {
    }

    /**
     * Runs {@code program} to the {@code stop}-th call of its stop_here(), selects the caller (gdb's {@code up}),
     * asks {@code queries}, and opens the core gdb wrote there, unwound, with frame 1's scope.
     */
    static Stopped atStop(Path program, Path core, int stop, List<String> queries) throws IOException, InterruptedException {
        GdbSession gdb = run(program, core, List.of("break stop_here", "ignore 1 " + (stop - 1), "run", "up"), queries);
        CoreFile c = CoreFile.open(core);
        ProcessSymbols symbols = new ProcessSymbols(c.loadMap());
        List<Frame> frames = Unwinder.unwind(c.threads().get(0).registers(), c, symbols);
        return new Stopped(gdb, c, symbols, frames, FrameScope.of(symbols, c, frames, 1));
    }

    /** Our {@code info args}/{@code info locals} text: {@code name = value} lines, or gdb's {@code none} message. */
    static String infoLines(List<FrameScope.Variable> vars, dev.multitrace.symbols.values.ValueFormat format, String none) {
        if (vars.isEmpty()) {
            return none;
        }
        StringBuilder b = new StringBuilder();
        for (FrameScope.Variable v : vars) {
            b.append(b.length() == 0 ? "" : "\n").append(v.name()).append(" = ").append(format.format(v.value()));
        }
        return b.toString();
    }

    /** What gdb printed for {@code query}, with {@code $N = } removed from a print. */
    String answer(String query) {
        String a = answers.get(query);
        if (a == null) {
            throw new AssertionError("gdb gave no answer to " + query + ":\n" + stop.output());
        }
        return a.replaceFirst("^\\$\\d+ = ", "");
    }
}
