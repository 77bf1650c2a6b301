package dev.multitrace.rsp;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SignalAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.WatchKind;
import dev.multitrace.core.Watchpoint;
import dev.multitrace.core.Tracing;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One process the stub debugs, and the callbacks of its engines (one engine per thread, all with
 * this ops instance, which is also the owner of the stub's breakpoints in the service's table).
 *
 * <h2>Callbacks</h2>
 * They run on the service's tracer thread and never block and never touch the socket: each
 * records what happened in the {@link StubThread} under the {@link StubTarget}'s monitor,
 * wakes the protocol thread ({@code notifyAll}) and returns STOP when the thread is to stay
 * quiescent for the client. That is how a stop is handed to the client thread: the protocol
 * thread finds {@link StubThread#pending} set when it wakes.
 */
final class StubProcess implements EngineOps {

    /** What the stub asks the service to report. */
    static final Set<Event> EVENTS;

    static {
        EnumSet<Event> e = EnumSet.of(Event.CLONE, Event.EXEC, Event.EXIT, Event.DEATH, Event.BREAKPOINT, Event.STEP,
                Event.WATCHPOINT, Event.VFORK_DONE);
        e.addAll(Tracing.allSignals());
        EVENTS = e;
    }

    final StubTarget target;
    /** Set once (by launch, before any callback can run), then only read. Guarded by the target's monitor. */
    int pid;
    /** Attached to (qAttached answers 1: gdb detaches on quit) rather than launched (gdb kills). */
    final boolean attached;
    TracedProcess traced;

    // --- Guarded by the target's monitor. ---
    final Map<Integer, StubThread> threads = new TreeMap<>();
    private final Map<Engine, StubThread> byEngine = new IdentityHashMap<>();
    /** Set when the last thread is gone; the client is told once. */
    ExitStatus exit;
    boolean exitReported;
    private ExitStatus leaderExit;

    /**
     * Where the client wrote an int3 byte itself (gdb without Z0 falls back to memory writes).
     * Guarded by the target's monitor: the signal callback turns a SIGTRAP just after one of these
     * into a breakpoint stop with the pc rewound, which gdb expects when it has swbreak.
     */
    final Set<Long> clientInt3 = new HashSet<>();

    /**
     * Protocol thread only: the client's hardware breakpoints and watchpoints (Z1, Z2, Z4) as it
     * asked for them ("type,address,length"), each as the aligned debug-register pieces it took.
     */
    final Map<String, java.util.List<Watchpoint>> watchpoints = new java.util.HashMap<>();

    /** Protocol thread only: the client's software breakpoints (Z0), to take out when it leaves. */
    final Set<Long> breakpoints = new HashSet<>();

    /**
     * The process this one was forked from, until the fork is reported (the child then takes
     * copies of its breakpoints and watchpoints: protocol thread). Guarded by the target's monitor.
     */
    StubProcess forkedFrom;

    StubProcess(StubTarget target, int pid, boolean attached) {
        this.target = target;
        this.pid = pid;
        this.attached = attached;
    }

    /** Registers a thread's engine; caller holds the monitor. */
    StubThread add(Engine e) {
        StubThread th = new StubThread(this, e, e.task().tid());
        threads.put(th.tid, th);
        byEngine.put(e, th);
        return th;
    }

    private StubThread thread(Engine e) {
        return byEngine.get(e);
    }

    /** Any live thread's engine (for breakpoints, which belong to the process). Caller holds the monitor. */
    StubThread anyThread() {
        for (StubThread th : threads.values()) {
            if (!th.gone) {
                return th;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ callbacks (tracer thread)

    /**
     * Keeps {@code th} stopped for the client, for an event of {@code kind}, and wakes whoever
     * waits for a stop (the holds notify the target's monitor). Caller holds the target's monitor.
     */
    private ResumeAction hold(StubThread th, StopEvent.Kind kind) {
        target.holds.hold(th.engine, kind);
        return ResumeAction.STOP;
    }

    @Override
    public ResumeAction quiesce(Engine engine, Task task, Event event) {
        synchronized (target) {
            StubThread th = thread(engine);
            if (th == null) {
                return engine.holdsStop() ? ResumeAction.STOP : ResumeAction.RESUME;
            }
            // The stop the stub asked for (stopAll, vCont;t, a new thread of a stopping process).
            target.holds.stopCompleted(engine, StopEvent.Kind.REQUESTED);
            return th.keep();
        }
    }

    @Override
    public ResumeAction breakpoint(Engine engine, Task task, long address) {
        return report(engine, StopEvent.Kind.SWBREAK, StopEvent.SIGTRAP, address);
    }

    @Override
    public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
        StopEvent.Kind kind = switch (wp.kind()) {
            case EXECUTE -> StopEvent.Kind.HWBREAK;
            case WRITE -> StopEvent.Kind.WATCH;
            case READ_WRITE -> StopEvent.Kind.AWATCH;
        };
        return report(engine, kind, StopEvent.SIGTRAP, dataAddress);
    }

    @Override
    public ResumeAction step(Engine engine, Task task) {
        long lo;
        long hi;
        synchronized (target) {
            StubThread th = thread(engine);
            if (th == null) {
                return ResumeAction.RESUME;
            }
            lo = th.rangeStart;
            hi = th.rangeEnd;
            if (th.held() || th.stopRequested() || !th.stepping) {
                lo = hi = 0;
            }
        }
        if (hi > lo) {
            long pc = engine.examine().pc();
            if (pc >= lo && pc < hi) {
                return ResumeAction.SINGLESTEP; // vCont r: still inside the line, step on without a report
            }
        }
        return report(engine, StopEvent.Kind.STEP, StopEvent.SIGTRAP, 0);
    }

    @Override
    public ResumeAction signal(Engine engine, Task task, SignalReport report) {
        synchronized (target) {
            StubThread th = thread(engine);
            if (th == null) {
                return ResumeAction.RESUME;
            }
            if (report.originalAction() == SignalAction.REPORT) {
                // The INTERRUPT report the stub asked for to inject a signal (gdb's C/S), or another
                // engine's interrupt: then nothing of ours happens here.
                if (th.injectSignal != 0) {
                    if (th.injectInfo != null) {
                        report.setInfoBytes(th.injectInfo);
                        th.injectInfo = null;
                    }
                    report.deliver(th.injectSignal);
                    th.injectSignal = 0;
                    return th.afterInject;
                }
                return th.keep();
            }
            int sig = report.signal();
            if (sig == StopEvent.SIGTRAP && !clientInt3.isEmpty()) {
                StopEvent hit = clientBreakpoint(engine);
                if (hit != null) {
                    report.setAction(SignalAction.IGN); // gdb's own breakpoint: not the program's signal
                    th.pending = hit;
                    return hold(th, StopEvent.Kind.SWBREAK);
                }
            }
            if (target.passSignals.contains(sig) && !th.stepping) {
                return th.keep(); // delivered without telling the client (QPassSignals)
            }
            // A passed signal that arrives during a step the client asked for (s, S, vCont r) is
            // reported all the same, as gdbserver does (it passes signals silently only to a
            // thread not resumed with a step): delivered here, the step would end with the
            // delivery (the service's steps are never sticky across a stop) and the thread run
            // on. gdb steps over the handler itself: a breakpoint where the step started, the
            // signal delivered with a continue, then the one step, one instruction later.
            // Kept from the program until the client says (C sig passes it on, c drops it); engines
            // after us still see the signal in this report.
            report.setAction(SignalAction.IGN);
            th.suppressedSignal = sig;
            th.suppressedInfo = report.siginfoBytes();
            th.pending = target.event(StopEvent.Kind.SIGNAL, sig, 0);
            return hold(th, StopEvent.Kind.SIGNAL);
        }
    }

    /**
     * A trap from an int3 the client wrote: the pc is just after it. Rewound onto it as gdb
     * expects from a stub that reports swbreak. Tracer thread, monitor held (the register calls
     * run at once on the tracer thread, so no deadlock).
     */
    private StopEvent clientBreakpoint(Engine engine) {
        var ex = engine.examine();
        long at = ex.pc() - 1;
        if (!clientInt3.contains(at)) {
            return null;
        }
        ex.setPc(at);
        return target.event(StopEvent.Kind.SWBREAK, StopEvent.SIGTRAP, at);
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        StubThread parentThread;
        synchronized (target) {
            parentThread = thread(engine);
            if (parentThread == null) {
                return ResumeAction.RESUME;
            }
            if ((kind == CloneKind.VFORK && !target.vforkEvents) || kind == CloneKind.PROCESS_SHARED_VM
                    || (kind == CloneKind.FORK && !target.forkEvents)) {
                // A vfork child the client does not hear of (or a clone() process with CLONE_VM)
                // shares our memory (its int3 bytes are the parent's): never ours to detach.
                // Followed only because the fork events of this process are on.
                return parentThread.keep();
            }
        }
        if (kind == CloneKind.FORK || kind == CloneKind.VFORK) {
            return forked(engine, parentThread, child, kind == CloneKind.VFORK);
        }
        Engine ce = target.tracing.attach(child, this, StubTarget.ENGINE_LABEL, EVENTS);
        boolean stop;
        StubThread ct;
        synchronized (target) {
            ct = add(ce);
            stop = parentThread.held() || parentThread.stopRequested() || target.threadEvents;
            if (stop) {
                target.holds.requestStop(ce);
            }
        }
        if (stop) {
            // All-stop: a thread born while the process is being stopped stops too. With thread
            // events the client hears of it first: held, with a CREATE for it.
            dev.multitrace.core.Result r = ce.control(ResumeAction.STOP);
            synchronized (target) {
                target.holds.stopAnswered(ce, r, StopEvent.Kind.REQUESTED);
                if (target.threadEvents && !parentThread.held() && !parentThread.stopRequested()) {
                    ct.pending = target.event(StopEvent.Kind.CREATE, StopEvent.SIGTRAP, 0);
                }
            }
        }
        synchronized (target) {
            target.notifyAll();
            return parentThread.keep();
        }
    }

    /**
     * A fork the client hears of (fork-events): the child becomes a process of ours, its thread
     * held, the int3 copies and watchpoints it inherited ours in it; the parent stops with a FORK
     * report. The client then detaches the child (detach-on-fork), or the parent
     * (follow-fork-mode child), or keeps both. Tracer thread; the service is called outside the
     * monitor.
     * <p>
     * A vfork (vfork-events) is told the same way, as gdbserver does ({@code vfork:}), except that
     * the child's memory is ours: the int3 bytes in it stay ours (the client takes its breakpoints
     * out of the parent itself until the vfork is done), so the child inherits none of them.
     */
    private ResumeAction forked(Engine engine, StubThread parentThread, Task child, boolean vfork) {
        StubProcess cp = new StubProcess(target, child.tid(), attached);
        Engine ce = target.tracing.attach(child, cp, StubTarget.ENGINE_LABEL, EVENTS);
        if (!vfork) {
            ce.adoptInherited(this);
        }
        target.holds.requestStop(ce);
        dev.multitrace.core.Result r = ce.control(ResumeAction.STOP);
        synchronized (target) {
            cp.add(ce);
            target.holds.stopAnswered(ce, r, StopEvent.Kind.REQUESTED);
            cp.traced = child.process();
            cp.forkedFrom = vfork ? null : this;
            target.processes.put(cp.pid, cp);
            StopEvent.Kind kind = vfork ? StopEvent.Kind.VFORK : StopEvent.Kind.FORK;
            parentThread.pending = target.event(kind, StopEvent.SIGTRAP, cp.pid);
            return hold(parentThread, kind);
        }
    }

    /** The end of a vfork the client heard of: reported (vforkdone) so that it puts its breakpoints back. */
    @Override
    public ResumeAction vforkDone(Engine engine, Task task, int childPid) {
        synchronized (target) {
            StubThread th = thread(engine);
            if (th == null) {
                return ResumeAction.RESUME;
            }
            if (!target.vforkEvents) {
                return th.keep();
            }
            th.pending = target.event(StopEvent.Kind.VFORK_DONE, StopEvent.SIGTRAP, childPid);
            return hold(th, StopEvent.Kind.VFORK_DONE);
        }
    }

    @Override
    public ResumeAction exec(Engine engine, Task task, int formerTid) {
        synchronized (target) {
            StubThread th = thread(engine);
            // The old image went with its breakpoints: the service forgot them, so do we.
            breakpoints.clear();
            clientInt3.clear();
            // Whatever died in the exec (the other threads, the old leader whose tid the exec'ing
            // thread took) died with the old image, not as the process's exit.
            leaderExit = null;
            if (th == null) {
                return ResumeAction.RESUME;
            }
            if (th.tid != task.tid()) {
                // A non-leader thread exec'd: it has the leader's tid now (the service moved it),
                // and is told as gdbserver does, under the leader's ptid; its old ptid is gone.
                th = renamed(th, task.tid());
            }
            if (!target.execEvents) {
                return th.keep();
            }
            th.pending = target.event(StopEvent.Kind.EXEC, StopEvent.SIGTRAP, 0);
            return hold(th, StopEvent.Kind.EXEC);
        }
    }

    @Override
    public ResumeAction exit(Engine engine, Task task, int status) {
        // Never held: an exiting thread has nothing left for the client, and a SIGKILLed one
        // (gdb's kill) must be let go to die. A stop asked for it ends with its death instead.
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        synchronized (target) {
            StubThread th = thread(engine);
            if (th != null) {
                th.gone = true;
                target.holds.forget(engine);
                th.pending = null;
                threads.remove(th.tid, th);
            }
            if (task.tid() == pid) {
                leaderExit = status;
            }
            if (threads.isEmpty() && exit == null) {
                exit = leaderExit != null ? leaderExit : status;
            }
            target.notifyAll();
        }
        return ResumeAction.RESUME;
    }

    /**
     * {@code th} under a new tid, its state kept (its engine is the same, and with it its hold);
     * the old object is left gone, as a thread that exited. Caller holds the monitor.
     */
    private StubThread renamed(StubThread th, int tid) {
        StubThread n = new StubThread(this, th.engine, tid);
        n.pending = th.pending;
        n.lastReported = th.lastReported;
        threads.remove(th.tid, th);
        StubThread old = threads.put(tid, n);
        if (old != null) {
            old.gone = true; // the old leader, if its death has not been told yet
        }
        byEngine.put(th.engine, n);
        th.gone = true;
        th.pending = null;
        return n;
    }

    private ResumeAction report(Engine engine, StopEvent.Kind kind, int sig, long address) {
        synchronized (target) {
            StubThread th = thread(engine);
            if (th == null) {
                return ResumeAction.RESUME;
            }
            if (kind == StopEvent.Kind.STEP && !th.stepping) {
                return th.keep();
            }
            if (th.pending == null || th.pending.kind() == StopEvent.Kind.STEP
                    || kind == StopEvent.Kind.WATCH || kind == StopEvent.Kind.AWATCH) {
                th.pending = target.event(kind, sig, address);
            }
            return hold(th, kind);
        }
    }

    @Override
    public String toString() {
        return "process " + pid;
    }
}
