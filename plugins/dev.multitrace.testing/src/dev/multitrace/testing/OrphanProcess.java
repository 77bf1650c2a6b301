package dev.multitrace.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts programs that tests attach to as orphans: a shell started with ProcessBuilder starts the program in
 * the background and exits, so the program is re-parented away from this JVM. The JDK's process reaper
 * waitpid()s the JVM's own children and would steal their ptrace stops; it never sees an orphan.
 */
public final class OrphanProcess {

    private OrphanProcess() {
    }

    /**
     * Starts {@code command} (program and arguments) with stdin from /dev/null and stdout and stderr to
     * {@code log} (null: /dev/null); returns its pid once it runs.
     */
    public static int start(Path log, String... command) throws IOException, InterruptedException {
        String to = log == null ? "/dev/null" : "'" + log + "'";
        List<String> argv = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >" + to + " 2>&1 </dev/null & echo $!", "sh"));
        argv.addAll(List.of(command));
        Process sh = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!sh.waitFor(10, TimeUnit.SECONDS) || sh.exitValue() != 0) {
            throw new IOException("could not start " + String.join(" ", command) + ": " + out);
        }
        return Integer.parseInt(out);
    }

    /** A field of /proc/PID/status ("TracerPid", "State", ...) without its name, or null if the process is gone. */
    public static String status(long pid, String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith(field + ":")) {
                    return l.substring(field.length() + 1).strip();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** SIGKILLs each of {@code pids} that still runs (tests clean up their orphans with this). */
    public static void killAll(Iterable<? extends Number> pids) {
        for (Number pid : pids) {
            ProcessHandle.of(pid.longValue()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * Starts the built test program NAME (see {@link TestPrograms#path}) as an orphan and waits until it runs
     * {@code threads} threads or two seconds pass (the threaded samples start their threads first thing).
     */
    public static int startProgram(String name, int threads) throws IOException, InterruptedException {
        int pid = start(null, TestPrograms.path(name).toString());
        for (int i = 0; i < 200 && threadCount(pid) < threads; i++) {
            Thread.sleep(10);
        }
        return pid;
    }

    private static long threadCount(int pid) {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** One byte of the process's memory, read through /proc (not ptrace: the tracee may be detached). */
    public static byte readByte(long pid, long address) throws IOException {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            return (byte) mem.read();
        }
    }

    /** The state letter of /proc/PID/status (R, S, t, T, ...). */
    public static char state(long pid) {
        String state = status(pid, "State");
        if (state == null) {
            throw new AssertionError("no State in /proc/" + pid + "/status");
        }
        return state.charAt(0);
    }
}
