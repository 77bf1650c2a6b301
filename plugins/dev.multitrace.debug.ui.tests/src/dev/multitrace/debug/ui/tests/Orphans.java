package dev.multitrace.debug.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts programs the tests attach to as orphans: a shell started with ProcessBuilder starts the
 * program in the background and exits, so the program is re-parented away from this JVM and the
 * JDK's process reaper (which waitpid()s its own children and would steal ptrace stops) never
 * sees it. Each is killed by pid in {@link #close()}.
 */
final class Orphans implements AutoCloseable {

    private final List<Long> pids = new ArrayList<>();

    /** Starts {@code program args...} with its output in {@code log}; returns its pid. */
    long start(Path log, String... command) throws IOException, InterruptedException {
        StringBuilder line = new StringBuilder("exec \"$@\" >'" + log + "' 2>&1 </dev/null & echo $!");
        List<String> argv = new ArrayList<>(List.of("sh", "-c", line.toString(), "sh"));
        argv.addAll(List.of(command));
        Process sh = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!sh.waitFor(10, TimeUnit.SECONDS) || sh.exitValue() != 0) {
            throw new IOException("could not start " + String.join(" ", command) + ": " + out);
        }
        long pid = Long.parseLong(out);
        pids.add(pid);
        return pid;
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && !zombie(pid);
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
