package dev.multitrace.rsp;

import dev.multitrace.core.Engine;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.Result;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.StopHolds;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.TracingException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The processes a GDB server debugs, shared by the clients that connect one after another.
 *
 * <h2>Synchronization</h2>
 * <ul>
 * <li>This object's monitor guards the process and thread maps, every {@link StubThread} field,
 * the signal sets and the {@link #holds} (which wake this monitor's waiters when a thread is held,
 * so that a stop and a packet wake the same wait; the rules are {@link StopHolds}'s). Engine
 * callbacks (tracer thread) take it briefly, record, {@code notifyAll} and return; the protocol
 * thread waits on it for stops.</li>
 * <li>Nobody calls into the service ({@link Engine}, {@link Tracing}) while holding the monitor:
 * such calls wait for the tracer thread, which may be about to run a callback that needs the
 * monitor.</li>
 * <li>Only the protocol thread of the connected session resumes, stops, detaches or kills
 * threads; callbacks only ever keep a thread held (STOP), step on in a range, or stop a new thread
 * of a process that is being stopped.</li>
 * </ul>
 */
final class StubTarget {

    /** Shown by the service's views as who holds a task ("held by gdbserver"). */
    static final String ENGINE_LABEL = "gdbserver";

    final Tracing tracing;
    private final boolean inheritStdio;
    /** Told about each process launched or attached, while the stub still holds all its threads. */
    volatile java.util.function.Consumer<TracedProcess> onNewProcess = p -> { };

    /** Which threads the stub holds for the client (by engine: it survives a thread's exec renaming), and why. */
    final StopHolds<Engine, StopEvent.Kind> holds = new StopHolds<>(this);

    // --- Guarded by this. ---
    final Map<Integer, StubProcess> processes = new LinkedHashMap<>();
    /** QPassSignals: delivered to the program without stopping. */
    final Set<Integer> passSignals = new HashSet<>();
    /**
     * QProgramSignals: the signals the stub may deliver on its own, without the client deciding
     * (a signal the client was never told about when it detaches); null means all. A signal the
     * client passes explicitly with C/S is always delivered.
     */
    Set<Integer> programSignals;
    private long seq;
    /**
     * What the connected client asked to hear of (qSupported fork-events/exec-events, QThreadEvents).
     * With fork events the service follows forks and the child becomes one of our processes.
     */
    volatile boolean forkEvents;
    /** vfork-events: vforks are told (vfork:, vforkdone) as gdbserver does. */
    volatile boolean vforkEvents;
    volatile boolean execEvents;
    volatile boolean threadEvents;
    /**
     * Programs the stub starts (vRun, and the one on the command line) run with
     * personality(ADDR_NO_RANDOMIZE): gdb's {@code set disable-randomization}, sent as
     * QDisableRandomization; on until a client says otherwise, as gdbserver's default.
     */
    volatile boolean disableRandomization = true;

    StubTarget(Tracing tracing, boolean inheritStdio) {
        this.tracing = tracing;
        this.inheritStdio = inheritStdio;
    }

    /** The number of the last event recorded. Caller holds the monitor. */
    long lastSeq() {
        return seq;
    }

    /** Caller holds the monitor. */
    StopEvent event(StopEvent.Kind kind, int signal, long address) {
        return new StopEvent(kind, signal, address, ++seq);
    }

    /** Launches a program held before its first instruction. */
    StubProcess launch(List<String> command) {
        LaunchSpec spec = new LaunchSpec(command, null, null, !inheritStdio, disableRandomization);
        // The pid is known only once launch returns; no callback can come before: the engine
        // launch makes holds the task.
        StubProcess p = new StubProcess(this, 0, false);
        Engine e = tracing.launch(spec, p, ENGINE_LABEL, StubProcess.EVENTS);
        synchronized (this) {
            p.pid = e.task().tid();
            StubThread th = p.add(e);
            holds.hold(e, StopEvent.Kind.REQUESTED);
            // Reported as gdbserver does (SIGTRAP at the exec); dropped if the client resumes unasked.
            th.pending = event(StopEvent.Kind.REQUESTED, StopEvent.SIGTRAP, 0);
            p.traced = e.task().process();
            processes.put(p.pid, p);
        }
        p.traced.setFollowForks(forkEvents);
        onNewProcess.accept(p.traced);
        return p;
    }

    /** Attaches to every thread of a running process and holds them all. */
    StubProcess attach(int pid) {
        StubProcess p = new StubProcess(this, pid, true);
        List<Engine> engines = tracing.attachProcess(pid, p, ENGINE_LABEL, StubProcess.EVENTS, true);
        synchronized (this) {
            for (Engine e : engines) {
                p.add(e);
                holds.hold(e, StopEvent.Kind.REQUESTED);
            }
            StubThread first = p.threads.get(pid);
            if (first == null) {
                first = p.anyThread();
            }
            if (first != null) {
                first.pending = event(StopEvent.Kind.REQUESTED, 0, 0);
            }
            p.traced = engines.isEmpty() ? null : engines.get(0).task().process();
            processes.put(pid, p);
        }
        if (p.traced != null) {
            p.traced.setFollowForks(forkEvents);
            onNewProcess.accept(p.traced);
        }
        return p;
    }

    /** A new client's choice of fork events: the service follows forks of our processes only then. */
    void setForkEvents(boolean on) {
        forkEvents = on;
        for (StubProcess p : processList()) {
            if (p.traced != null) {
                p.traced.setFollowForks(on);
            }
        }
    }

    synchronized List<StubProcess> processList() {
        return new ArrayList<>(processes.values());
    }

    synchronized List<StubThread> threads() {
        List<StubThread> l = new ArrayList<>();
        for (StubProcess p : processes.values()) {
            for (StubThread th : p.threads.values()) {
                if (!th.gone) {
                    l.add(th);
                }
            }
        }
        return l;
    }

    /**
     * Brings every live thread of {@code ps} to a hold (all-stop). Threads another engine holds
     * stop at once (control answers OK); running ones report QUIESCE when their interrupt lands.
     */
    void stopAll(List<StubProcess> ps) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            List<StubThread> todo = new ArrayList<>();
            synchronized (this) {
                for (StubProcess p : ps) {
                    for (StubThread th : p.threads.values()) {
                        if (!th.gone && !th.held() && !th.stopRequested()) {
                            todo.add(th);
                        }
                    }
                }
            }
            for (StubThread th : todo) {
                if (!holds.requestStop(th.engine)) {
                    continue; // held meanwhile (an event of its own)
                }
                Result r;
                try {
                    r = th.engine.control(ResumeAction.STOP);
                } catch (TracingException gone) {
                    r = Result.NO_SUCH_TASK;
                }
                synchronized (this) {
                    holds.stopAnswered(th.engine, r, StopEvent.Kind.REQUESTED);
                    if (r != Result.OK && r != Result.IN_PROGRESS) {
                        th.gone = true; // exiting: its DEATH report follows
                    }
                }
            }
            synchronized (this) {
                boolean newcomers = false;
                boolean waiting = true;
                while (waiting) {
                    waiting = false;
                    for (StubProcess p : ps) {
                        for (StubThread th : p.threads.values()) {
                            if (th.gone || th.held()) {
                                continue;
                            }
                            if (!th.stopRequested()) {
                                newcomers = true;
                            } else {
                                waiting = true;
                            }
                        }
                    }
                    if (newcomers) {
                        break;
                    }
                    if (waiting) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            throw new TracingException("threads did not stop within 30 s");
                        }
                        wait(Math.max(1, Math.min(left / 1_000_000, 200)));
                    }
                }
                if (!newcomers) {
                    return;
                }
            }
        }
    }

    /**
     * Lets a held thread go: {@code action} RESUME or SINGLESTEP, with {@code signal} delivered
     * first (injected through an INTERRUPT report: the seed's "signal SIG always works", whatever
     * stop the thread is at).
     */
    void resume(StubThread th, ResumeAction action, int signal, long rangeStart, long rangeEnd) {
        synchronized (this) {
            if (th.gone || holds.release(th.engine) == null) {
                return;
            }
            th.pending = null;
            // The signal gdb passes on is the one it was told about: it keeps its sender.
            th.injectInfo = signal != 0 && signal == th.suppressedSignal ? th.suppressedInfo : null;
            th.suppressedSignal = 0;
            th.suppressedInfo = null;
            th.reportedStopped = false;
            th.stepping = action == ResumeAction.SINGLESTEP;
            th.rangeStart = rangeStart;
            th.rangeEnd = rangeEnd;
            th.injectSignal = signal;
            th.afterInject = action;
        }
        try {
            th.engine.control(signal != 0 ? ResumeAction.INTERRUPT : action);
        } catch (TracingException gone) {
            synchronized (this) {
                th.gone = true;
            }
        }
    }

    /** Detaches the stub's engines from a process: it runs on (or stays with its other engines). */
    void detach(StubProcess p) {
        List<StubThread> ths;
        List<StubThread> unreportedSignal = new ArrayList<>();
        synchronized (this) {
            ths = new ArrayList<>(p.threads.values());
            processes.remove(p.pid);
            for (StubThread th : ths) {
                StopEvent ev = th.pending;
                if (ev != null && ev.kind() == StopEvent.Kind.SIGNAL
                        && (programSignals == null || programSignals.contains(ev.signal()))) {
                    unreportedSignal.add(th);
                }
            }
        }
        removeBreakpoints(p);
        for (StubThread th : unreportedSignal) {
            // The client never heard of it: the program gets it, as it would have without us.
            int sig;
            synchronized (this) {
                sig = th.pending.signal();
            }
            resume(th, ResumeAction.RESUME, sig, 0, 0);
        }
        for (StubThread th : ths) {
            th.engine.detach();
        }
    }

    /** Takes the client's breakpoints out (the service restores the bytes when the last owner goes). */
    void removeBreakpoints(StubProcess p) {
        StubThread th;
        synchronized (this) {
            th = p.anyThread();
        }
        if (th == null) {
            p.breakpoints.clear();
            p.watchpoints.clear();
            return;
        }
        for (long a : p.breakpoints) {
            try {
                th.engine.removeBreakpoint(a);
            } catch (TracingException gone) {
                break;
            }
        }
        p.breakpoints.clear();
        for (List<dev.multitrace.core.Watchpoint> pieces : p.watchpoints.values()) {
            for (dev.multitrace.core.Watchpoint wp : pieces) {
                try {
                    th.engine.removeWatchpoint(wp.address(), wp.length(), wp.kind());
                } catch (TracingException gone) {
                    break;
                }
            }
        }
        p.watchpoints.clear();
    }

    /** SIGKILLs the process and waits until every thread reported its death. */
    void kill(StubProcess p) throws InterruptedException {
        TracedProcess tp = p.traced;
        if (tp != null && !tp.isDetached()) {
            tracing.kill(tp);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        synchronized (this) {
            while (p.exit == null && !p.threads.isEmpty() && System.nanoTime() < deadline) {
                wait(100);
            }
            p.exitReported = true;
            processes.remove(p.pid);
        }
    }
}
