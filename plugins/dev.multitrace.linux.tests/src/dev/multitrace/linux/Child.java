package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.multitrace.testing.TestPrograms;

/**
 * A process started by the test thread with {@link Spawner}, so that this thread is its
 * parent (and, once seized, its tracer). {@link #close()} kills and reaps it, and must run
 * on the same thread because waits use {@code __WNOTHREAD}.
 *
 * <p>A watchdog SIGKILLs the process after {@link #WATCHDOG_SECONDS}: a blocking
 * {@code waitpid} on a target that misbehaves then returns (and the test fails) instead of
 * hanging the build. kill(2) may come from any thread; only ptrace requests may not.
 */
final class Child implements AutoCloseable {

    /** Wait for tracees and clone children, but only this thread's (not the JDK's). */
    static final int WAIT_ALL = PtraceConstants.__WALL | PtraceConstants.__WNOTHREAD;

    static final int WATCHDOG_SECONDS = 10;

    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final SpawnedProcess process;
    private final ScheduledFuture<?> watchdog;
    private final BufferedReader stdout;
    private boolean gone;

    private Child(SpawnedProcess process) {
        this.process = process;
        int pid = process.pid();
        this.watchdog = WATCHDOG.schedule(() -> LibC.kill(pid, Signal.SIGKILL), WATCHDOG_SECONDS, TimeUnit.SECONDS);
        this.stdout = new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8));
    }

    /** Path of a C target compiled by the build (releng/build-native.sh) from native/NAME.c. */
    static String target(String name) {
        return TestPrograms.path(name).toString();
    }

    /** Spawns native target {@code name} with {@code args}, held at the gate (not yet exec'ed). */
    static Child spawn(String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(target(name));
        cmd.addAll(List.of(args));
        return new Child(new Spawner(cmd).stderr(Stdio.INHERIT).start());
    }

    int pid() {
        return process.pid();
    }

    SpawnedProcess process() {
        return process;
    }

    /** Lets the gate shell exec the program, untraced. */
    void release() {
        process.release();
    }

    /**
     * Seizes with {@code options} plus TRACEEXEC and EXITKILL, opens the gate and waits for
     * the EXEC stop: the program is then mapped and has not run one instruction.
     */
    WaitStatus seizeToExec(int options) {
        Ptrace.seize(pid(), options | PtraceConstants.TRACEEXEC | PtraceConstants.EXITKILL);
        process.release();
        WaitStatus st = await();
        assertEquals(PtraceConstants.EVENT_EXEC, st.ptraceEvent(), "first stop should be EXEC, was " + st);
        if (exe().equals(shell())) {
            // Spawner race: glibc's posix_spawn (CLONE_VFORK) returns once the child's exec
            // has replaced its memory, before that execve of the gate shell finished, so
            // a seize right after start() can still get the shell's own EXEC stop. The
            // program's EXEC stop is then the next one.
            Ptrace.cont(pid(), 0);
            st = await();
            assertEquals(PtraceConstants.EVENT_EXEC, st.ptraceEvent(), "second stop should be EXEC, was " + st);
        }
        assertEquals(Path.of(process.command().get(0)), exe(), "EXEC stop of the program");
        return st;
    }

    private Path exe() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid() + "/exe"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path shell() {
        try {
            return Path.of(Spawner.SHELL).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Blocks for the next state change of this process (a stop, or its end, which reaps it). */
    WaitStatus await() {
        WaitResult r = Wait.waitpid(pid(), WAIT_ALL);
        assertEquals(pid(), r.pid());
        if (r.status().exited() || r.status().killed()) {
            gone = true;
        }
        return r.status();
    }

    /** One line of the program's stdout; fails if it ended without writing one. */
    String readLine() {
        try {
            String line = stdout.readLine();
            assertNotNull(line, "target " + pid() + " closed stdout without a line");
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the program's stdin: the targets that wait for it then carry on and exit. */
    void closeStdin() {
        try {
            process.stdin().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills (unless already reaped) and reaps the process, then closes the pipes. */
    @Override
    public void close() {
        try {
            if (!gone) {
                LibC.kill(pid(), Signal.SIGKILL);
                while (!gone) {
                    await();
                }
            }
        } finally {
            watchdog.cancel(false);
            process.close();
        }
    }
}
