package dev.multitrace.rsp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.multitrace.testing.TestPrograms;

/**
 * The real /usr/bin/gdb in batch mode. gdb is not a tracee (it only talks to our server over
 * TCP), so ProcessBuilder is fine here.
 */
final class Gdb {

    /** What a gdb run printed and how it ended. */
    record Run(int exitCode, String output) {
        boolean has(String s) {
            return output.contains(s);
        }
    }

    private Gdb() {
    }

    static String program(String name) {
        return TestPrograms.path(name).toString();
    }

    /** Runs {@code gdb -batch -nx} with these -ex commands on {@code program} (null: none). */
    static Run run(String program, List<String> commands) throws IOException, InterruptedException {
        return run(program, commands, 120, null);
    }

    /**
     * @param afterStart called with the running gdb process (e.g. to send it SIGINT), may be null
     */
    static Run run(String program, List<String> commands, int timeoutSeconds, java.util.function.Consumer<Process> afterStart)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/gdb", "-batch", "-nx",
                "-iex", "set pagination off", "-iex", "set confirm off", "-iex", "set width 0",
                "-iex", "set debuginfod enabled off"));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        if (program != null) {
            cmd.add(program);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LC_ALL", "C");
        Process gdb = pb.start();
        gdb.getOutputStream().close();
        StringBuilder out = new StringBuilder();
        Thread pump = new Thread(() -> {
            try {
                out.append(new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("\n[reading gdb output failed: ").append(e).append("]");
            }
        });
        pump.start();
        if (afterStart != null) {
            afterStart.accept(gdb);
        }
        if (!gdb.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            gdb.destroyForcibly();
            pump.join(5000);
            throw new AssertionError("gdb did not finish in " + timeoutSeconds + " s; output:\n" + out);
        }
        pump.join(10_000);
        return new Run(gdb.exitValue(), out.toString());
    }
}
