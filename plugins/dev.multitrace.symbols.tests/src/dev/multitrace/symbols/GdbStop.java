package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stop of a test program under real {@code gdb -batch}: gdb runs the program to a stop (breakpoint or
 * caught syscall), prints {@code bt}, writes a core with {@code gcore} and kills the program. gdb is an
 * untraced helper of the test (ProcessBuilder is fine); the program is gdb's tracee, never ours.
 */
record GdbStop(String output, List<GdbFrame> backtrace, Path core, java.util.Map<Integer, List<GdbFrame>> threads) {

    /**
     * One line of gdb's {@code bt}: the function name ({@code <signal handler called>} for a signal frame), the pc
     * gdb printed (or -1), and the {@code at FILE:LINE} it printed (file null and line 0 if none).
     */
    record GdbFrame(int level, String function, long pc, String file, int line) {
    }

    private static final Pattern AT = Pattern.compile(" at (\\S+):(\\d+)\\s*$");

    private static final Pattern FRAME = Pattern.compile("^#(\\d+)\\s+(?:(0x[0-9a-f]+) in )?(<signal handler called>|[^ (]+)");

    private static final Pattern THREAD = Pattern.compile("^Thread \\d+ \\(.*\\(LWP (\\d+)\\)");

    /** Runs {@code program args} under gdb with {@code commands} before {@code bt} and {@code gcore}. */
    static GdbStop run(Path program, List<String> args, Path core, String... commands) throws IOException, InterruptedException {
        return run(program, args, core, "bt", commands);
    }

    /** As {@link #run}, with {@code thread apply all bt}: {@link #threads()} maps each LWP to its frames. */
    static GdbStop runAllThreads(Path program, List<String> args, Path core, String... commands) throws IOException, InterruptedException {
        return run(program, args, core, "thread apply all bt", commands);
    }

    private static GdbStop run(Path program, List<String> args, Path core, String bt, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set pagination off", "-ex", "set confirm off", "-ex",
                "set debuginfod enabled off", "-ex", "set startup-with-shell off"));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        cmd.addAll(List.of("-ex", bt, "-ex", "gcore " + core, "-ex", "kill", "--args", program.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] out;
        try (var in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gdb timed out: " + cmd);
        String text = new String(out, StandardCharsets.UTF_8);
        List<GdbFrame> frames = new ArrayList<>();
        java.util.Map<Integer, List<GdbFrame>> threads = new java.util.LinkedHashMap<>();
        boolean inBacktrace = false;
        for (String line : text.split("\n")) {
            Matcher t = THREAD.matcher(line);
            if (t.find()) {
                frames = new ArrayList<>();
                threads.put(Integer.parseInt(t.group(1)), frames);
                inBacktrace = false;
                continue;
            }
            Matcher m = FRAME.matcher(line);
            if (m.find()) {
                int level = Integer.parseInt(m.group(1));
                if (level == 0) {
                    frames.clear(); // the bt (a catchpoint's report may also start with a frame line)
                    inBacktrace = true;
                }
                if (inBacktrace) {
                    Matcher at = AT.matcher(line);
                    boolean hasAt = at.find();
                    frames.add(new GdbFrame(level, m.group(3), m.group(2) == null ? -1 : Long.parseUnsignedLong(m.group(2).substring(2), 16),
                            hasAt ? at.group(1) : null, hasAt ? Integer.parseInt(at.group(2)) : 0));
                }
            }
        }
        assertTrue(!frames.isEmpty() && Files.isRegularFile(core), "gdb gave no backtrace or no core:\n" + text);
        return new GdbStop(text, frames, core, threads);
    }
}
