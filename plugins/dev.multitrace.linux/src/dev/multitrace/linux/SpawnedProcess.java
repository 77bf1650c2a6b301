package dev.multitrace.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * A program started by {@link Spawner}, held at its gate: a {@code /bin/sh} blocked
 * reading fd 3, which will {@code exec} the program once {@link #release()} is called.
 *
 * <p>Nothing here waits for the process: its real parent is the thread that called
 * {@link Spawner#start()}, and that thread (the tracer thread) collects its status with
 * {@code waitpid(pid, __WALL | __WNOTHREAD)}.
 */
public final class SpawnedProcess implements AutoCloseable {

    private final int pid;
    private final List<String> command;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final InputStream stderr;
    private final FdOutputStream gate;
    private boolean released;

    SpawnedProcess(int pid, List<String> command, OutputStream stdin, InputStream stdout, InputStream stderr,
            FdOutputStream gate) {
        this.pid = pid;
        this.command = command;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.gate = gate;
    }

    /** The process id (also its only thread's id). */
    public int pid() {
        return pid;
    }

    /** The program and arguments as given to the spawner. */
    public List<String> command() {
        return command;
    }

    /** The program's standard input, or a discarding stream unless it is {@link Stdio#PIPE}. */
    public OutputStream stdin() {
        return stdin;
    }

    /** The program's standard output, or an empty stream unless it is {@link Stdio#PIPE}. */
    public InputStream stdout() {
        return stdout;
    }

    /** The program's standard error, or an empty stream unless it is {@link Stdio#PIPE}. */
    public InputStream stderr() {
        return stderr;
    }

    /**
     * Opens the gate: the waiting shell execs the program. Seize the pid with
     * {@code TRACEEXEC} first; the EXEC event stop is then the program's first stop, before
     * its first instruction (the dynamic loader's entry). Idempotent.
     *
     * @throws LinuxException if the shell is gone (EPIPE)
     */
    public synchronized void release() {
        if (released) {
            return;
        }
        released = true;
        try {
            gate.write('\n');
        } catch (IOException e) {
            LinuxException le = new LinuxException(Errno.EPIPE, "release(" + pid + ")", "the gate shell is gone");
            le.initCause(e);
            throw le;
        } finally {
            gate.close();
        }
    }

    /** True once {@link #release()} was called. */
    public synchronized boolean released() {
        return released;
    }

    /**
     * Closes the caller's ends of the pipes. If the program was never released, closing the
     * gate makes the shell exit with status 126 instead of running the program.
     */
    @Override
    public void close() {
        gate.close();
        for (AutoCloseable c : new AutoCloseable[] {stdin, stdout, stderr}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // raw fd close cannot fail in a way worth reporting
            }
        }
    }

    @Override
    public String toString() {
        return "SpawnedProcess[pid=" + pid + ", " + command + "]";
    }
}
