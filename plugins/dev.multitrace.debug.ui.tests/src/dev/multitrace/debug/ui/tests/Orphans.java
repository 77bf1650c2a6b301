package dev.multitrace.debug.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.multitrace.testing.OrphanProcess;

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
        long pid = OrphanProcess.start(log, command);
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
        OrphanProcess.killAll(pids);
    }
}
