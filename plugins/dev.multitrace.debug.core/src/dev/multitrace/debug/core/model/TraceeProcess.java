package dev.multitrace.debug.core.model;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.HostProcesses;
import dev.multitrace.debug.core.MultitraceDebug;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.core.runtime.PlatformObject;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStreamMonitor;
import org.eclipse.debug.core.model.IStreamsProxy2;

/**
 * The traced program as the Console view and the Debug view see it: its stdin, stdout and stderr
 * (when the service launched it with pipes) and its exit value. Terminating it kills the program
 * through the session. Also used, without a program, for an engine's log (the syscall tracer's
 * console): then {@link #output()} is appended to by the engine and the process ends with the session.
 */
public final class TraceeProcess extends PlatformObject implements IProcess {

    private final ILaunch launch;
    private final String label;
    /** Null once the program ended or was let go: an ended launch the platform still shows keeps no session. */
    private volatile Runnable terminator;
    private final TextStreamMonitor out = new TextStreamMonitor();
    private final TextStreamMonitor err = new TextStreamMonitor();
    private final OutputStream stdin;
    private final Map<String, String> attributes = new HashMap<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    /** After {@link #detached}: the program's pid and start time (0 before), whether it exited, whether how is unknown. */
    private volatile int detachedPid;
    private volatile long detachedStart;
    private volatile boolean detachedExited;
    private volatile boolean exitUnknown;

    /**
     * @param stdout,stderr,stdin the program's pipes, or null (attached process, engine log)
     * @param terminator          what {@link #terminate()} does (kills the program)
     */
    public TraceeProcess(ILaunch launch, String label, InputStream stdout, InputStream stderr, OutputStream stdin,
            Runnable terminator) {
        this.launch = launch;
        this.label = label;
        this.stdin = stdin;
        this.terminator = terminator;
        if (stdout != null) {
            out.pump(stdout, "multitrace-stdout " + label);
        }
        if (stderr != null) {
            err.pump(stderr, "multitrace-stderr " + label);
        }
        attributes.put(IProcess.ATTR_PROCESS_TYPE, "multitrace");
        launch.addProcess(this);
        fire(DebugEvent.CREATE);
    }

    /** The stdout monitor (an engine log appends to it). */
    public TextStreamMonitor output() {
        return out;
    }

    /**
     * The session let the program go (Disconnect) and it runs on: the Debug view shows it
     * "[detached, running]", not terminated, until it exits. It is watched from then on: a
     * program this IDE launched is still its child, so its exit status is collected and shown as
     * any exit is; a process it attached to reports its exit to its own parent, so here the exit
     * value is unknown. Terminate still kills it (as long as it is the same process).
     */
    public void detached(int pid) {
        terminator = null;
        long started = HostProcesses.startTime(pid);
        if (started < 0 || !HostProcesses.running(pid, started)) {
            endedAfterDetach(HostProcesses.reapIfEnded(pid));
            return;
        }
        detachedPid = pid;
        detachedStart = started;
        fire(DebugEvent.CHANGE);
        Thread watcher = new Thread(() -> {
            while (HostProcesses.running(pid, started)) {
                try {
                    Thread.sleep(DETACHED_POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            endedAfterDetach(HostProcesses.reapIfEnded(pid));
        }, "multitrace-detached " + label);
        watcher.setDaemon(true);
        watcher.start();
    }

    /** The exit value of a program that exited after the debugger detached (see {@link #getExitValue}). */
    public static final int UNKNOWN_EXIT = -1;

    /** How often a detached program is looked at: a label that lags its exit by this much is fine. */
    private static final long DETACHED_POLL_MS = 250;

    private void endedAfterDetach(ExitStatus status) {
        exitUnknown = status == null;
        detachedExited = true;
        ended(status);
    }

    /**
     * The program ended (exit status) or the session let it go (null): the process is terminated
     * once its output is read to the end. (A debugged program the session detached from goes
     * through {@link #detached} instead: it has not ended.)
     */
    public void ended(ExitStatus status) {
        if (exit.isDone()) {
            return;
        }
        Thread t = new Thread(() -> {
            out.join(5000);
            err.join(5000);
            int value = status == null ? 0 : status.shellCode();
            if (status != null) {
                attributes.put(MultitraceDebug.PLUGIN_ID + ".exitStatus", status.toString());
            }
            terminator = null;
            if (exit.complete(value)) {
                fire(DebugEvent.TERMINATE);
            }
        }, "multitrace-process-end " + label);
        t.setDaemon(true);
        t.start();
    }

    /** Completes with the exit value once {@link #isTerminated()}. */
    public CompletableFuture<Integer> exitValue() {
        return exit;
    }

    private void fire(int kind) {
        DebugPlugin p = DebugPlugin.getDefault();
        if (p != null) {
            p.fireDebugEventSet(new DebugEvent[] {new DebugEvent(this, kind)});
        }
    }

    @Override
    public boolean canTerminate() {
        return !isTerminated() && (terminator != null || detachedPid != 0);
    }

    @Override
    public boolean isTerminated() {
        return exit.isDone();
    }

    @Override
    public void terminate() throws DebugException {
        if (!canTerminate()) {
            return;
        }
        if (detachedPid != 0) {
            // The session is over: kill the program itself (the watcher reports its end).
            HostProcesses.kill(detachedPid, detachedStart);
        } else {
            Runnable t = terminator;
            if (t != null) {
                t.run();
            }
        }
    }

    /** The label, and once detached whether the program still runs. */
    @Override
    public String getLabel() {
        if (detachedPid == 0) {
            return label;
        }
        if (!detachedExited) {
            return label + " [detached, running]";
        }
        return label + (exitUnknown ? " [detached, exited]" : " [detached]");
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    @Override
    public IStreamsProxy2 getStreamsProxy() {
        return new IStreamsProxy2() {
            @Override
            public IStreamMonitor getErrorStreamMonitor() {
                return err;
            }

            @Override
            public IStreamMonitor getOutputStreamMonitor() {
                return out;
            }

            @Override
            public void write(String input) throws IOException {
                if (stdin == null) {
                    throw new IOException(label + ": its standard input is not connected (it was not launched here)");
                }
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }

            @Override
            public void closeInputStream() throws IOException {
                if (stdin != null) {
                    stdin.close();
                }
            }
        };
    }

    @Override
    public synchronized void setAttribute(String key, String value) {
        attributes.put(key, value);
    }

    @Override
    public synchronized String getAttribute(String key) {
        return attributes.get(key);
    }

    /**
     * The exit status; -1 for a program that exited after the debugger let it go (its status went to its parent,
     * the label says "[detached, exited]"). The platform's label of a terminated process always asks for it: an
     * exception here went to the Error Log at every refresh of the Debug view.
     */
    @Override
    public int getExitValue() throws DebugException {
        if (exitUnknown) {
            return UNKNOWN_EXIT;
        }
        Integer v = exit.getNow(null);
        if (v == null) {
            throw new DebugException(MultitraceDebug.error(label + " has not terminated yet", null));
        }
        return v;
    }
}
