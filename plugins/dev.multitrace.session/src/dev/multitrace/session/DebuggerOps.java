package dev.multitrace.session;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SignalAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.Signals;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;
import dev.multitrace.core.Watchpoint;

/**
 * The debugger engine's callbacks, one instance per session shared by the debugger's engines on every
 * thread (so that its breakpoints report on every thread). They run on the service's tracer thread.
 *
 * <p>Every callback of a thread the session holds, or has asked to stop, answers STOP ({@link #keep}): a
 * thread is "held" exactly while {@link DebugSession#holds} holds it, so a callback that runs between a hold
 * and its report cannot release it. A request that lets a thread run updates the session's state first (see
 * {@link DebugSession} and {@link dev.multitrace.core.StopHolds}).
 */
final class DebuggerOps implements EngineOps {

    private final DebugSession session;
    private final Stepping stepping;
    private final SessionBreakpoints breakpoints;
    private final ExtraEngines extras;

    DebuggerOps(DebugSession session, Stepping stepping, SessionBreakpoints breakpoints, ExtraEngines extras) {
        this.session = session;
        this.stepping = stepping;
        this.breakpoints = breakpoints;
        this.extras = extras;
    }

    /** Every callback of a thread the debugger holds (or asked to stop) keeps it stopped. */
    private ResumeAction keep(int tid, ResumeAction otherwise) {
        return session.holds.keep(tid, otherwise);
    }

    /** The user's event breakpoint that an event of {@code kind} ({@code number}: signal, system call) hits, or null. */
    private EventCatchpoint caught(EventCatchpoint.Kind kind, long number) {
        for (EventCatchpoint c : session.catchpoints) {
            if (c.matches(kind, number)) {
                return c;
            }
        }
        return null;
    }

    /** Holds the thread at an event breakpoint's event (and in all-stop mode the others): the answer is STOP. */
    private ResumeAction stopAt(Engine engine, int tid, EventCatchpoint c, long number) {
        stepping.cancelStep(engine, tid, stepping.plan(tid));
        return session.holdForEvent(tid, new StopReason(StopReason.Kind.EVENT, EventCatchpoint.describe(c.kind(), number), c.owner()));
    }

    /** Seen only while a system call breakpoint is set (see {@link DebugSession#addCatchpoint}). */
    @Override
    public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        int tid = task.tid();
        if (session.holds.isHeld(tid)) {
            return ResumeAction.STOP;
        }
        EventCatchpoint c = caught(EventCatchpoint.Kind.SYSCALL, report.number());
        return c != null ? stopAt(engine, tid, c, report.number()) : keep(tid, stepping.stepAction(tid));
    }

    @Override
    public ResumeAction quiesce(Engine engine, Task task, Event event) {
        int tid = task.tid();
        StopReason suspended = session.askedStopReasons.getOrDefault(tid, StopReason.of(StopReason.Kind.SUSPEND));
        if (session.holds.stopCompleted(tid, suspended)) {
            session.askedStopReasons.remove(tid);
            session.fireStopped(tid, suspended);
        } else if (session.holds.takeCancelled(tid)) {
            // the stop asked for it came after a resume of all (DebugSession#releaseAll): it runs on with the others
            return keep(tid, ResumeAction.RESUME);
        }
        return keep(tid, engine.holdsStop() ? ResumeAction.STOP : ResumeAction.RESUME);
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        if (kind != CloneKind.THREAD) {
            return followedFork(engine, parent, child, kind);
        }
        Engine ce = session.tracing().attach(child, engine.ops(), DebugSession.DEBUGGER, engine.events()); // same ops: one breakpoint owner
        session.engines.put(child.tid(), ce);
        extras.threadAdded(child);
        for (SessionListener l : session.listeners) {
            l.threadAdded(child.tid());
        }
        EventCatchpoint start = caught(EventCatchpoint.Kind.THREAD_START, -1);
        if (!session.isNonStop() && session.holds.isHeld(parent.tid())) {
            // All-stop and the process is stopped: the new thread is held too.
            ce.control(ResumeAction.STOP);
            session.markHeld(child.tid(), StopReason.of(StopReason.Kind.SUSPEND));
        } else if (start != null) {
            // held before its first instruction
            ce.control(ResumeAction.STOP);
            session.holdForEvent(child.tid(), new StopReason(StopReason.Kind.EVENT, EventCatchpoint.describe(start.kind(), -1), start.owner()));
        }
        return keep(parent.tid(), stepping.stepAction(parent.tid()));
    }

    /**
     * A fork (or a clone that makes a process) the service follows: the session's, when it follows fork children
     * (the child becomes a session of its own, held); another engine's (the syscall tracer follows children) when
     * it does not, and the child is nothing of the debugger's. The parent stops for a fork catchpoint.
     */
    private ResumeAction followedFork(Engine engine, Task parent, Task child, CloneKind kind) {
        int tid = parent.tid();
        if (session.isFollowingForks()) {
            session.adoptFork(engine, child, kind);
        }
        if (session.holds.isHeld(tid)) {
            return ResumeAction.STOP;
        }
        EventCatchpoint c = caught(kind == CloneKind.VFORK ? EventCatchpoint.Kind.VFORK : EventCatchpoint.Kind.FORK, -1);
        return c != null ? stopAt(engine, tid, c, child.tid()) : keep(tid, stepping.stepAction(tid));
    }

    /** Fork following is off: the child is let go by the service, the parent stops here for a fork catchpoint. */
    @Override
    public ResumeAction forkLetGo(Engine engine, Task parent, int childPid, CloneKind kind) {
        int tid = parent.tid();
        if (session.holds.isHeld(tid)) {
            return ResumeAction.STOP;
        }
        EventCatchpoint c = caught(kind == CloneKind.VFORK ? EventCatchpoint.Kind.VFORK : EventCatchpoint.Kind.FORK, -1);
        return c != null ? stopAt(engine, tid, c, childPid) : keep(tid, stepping.stepAction(tid));
    }

    @Override
    public ResumeAction exec(Engine engine, Task task, int formerTid) {
        if (formerTid != task.tid() && session.engines.remove(formerTid, engine)) {
            session.engines.put(task.tid(), engine); // a non-leader thread exec'd: it has the leader's tid now
        }
        breakpoints.imageReplaced(engine);
        for (SessionListener l : session.listeners) {
            l.imageReplaced();
        }
        EventCatchpoint c = session.holds.isHeld(task.tid()) ? null : caught(EventCatchpoint.Kind.EXEC, -1);
        return c != null ? stopAt(engine, task.tid(), c, -1) : keep(task.tid(), ResumeAction.RESUME);
    }

    @Override
    public ResumeAction exit(Engine engine, Task task, int status) {
        // a thread's own exit, not the leader's (that is the process's)
        EventCatchpoint c = task.tid() == session.pid() || session.holds.isHeld(task.tid()) ? null
                : caught(EventCatchpoint.Kind.THREAD_EXIT, -1);
        if (c != null) {
            return stopAt(engine, task.tid(), c, -1);
        }
        session.holds.forget(task.tid());
        StepPlan plan = stepping.plan(task.tid());
        if (plan != null && task.tid() != session.pid()) {
            // the process lives on: the step's temporary breakpoints (a return address, a line it ran to) go too
            stepping.cancelStep(engine, task.tid(), plan);
        }
        stepping.forget(task.tid());
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        return ResumeAction.RESUME;
    }

    @Override
    public void reap(Engine engine, Task task) {
        int tid = task.tid();
        session.engines.remove(tid, engine);
        session.heldStops.remove(tid);
        session.holds.forget(tid);
        stepping.forget(tid);
        extras.threadRemoved(tid);
        for (SessionListener l : session.listeners) {
            l.threadRemoved(tid);
        }
    }

    @Override
    public ResumeAction signal(Engine engine, Task task, SignalReport report) {
        int tid = task.tid();
        if (report.originalAction() == SignalAction.REPORT) {
            Integer sig = session.injections.remove(tid);
            if (sig != null) {
                report.deliver(sig);
                return ResumeAction.RESUME;
            }
            return keep(tid, stepping.stepAction(tid));
        }
        int sig = report.signal();
        SignalSettings.Setting s = session.signalSettings().get(sig);
        if (!s.pass()) {
            report.setAction(SignalAction.IGN);
        }
        EventCatchpoint c = caught(EventCatchpoint.Kind.SIGNAL, sig);
        if (c != null) {
            // an event breakpoint stops at the signal whatever the settings; delivered (if passed) on resume
            return stopAt(engine, tid, c, sig);
        }
        if (s.print()) {
            for (SessionListener l : session.listeners) {
                l.signalReceived(tid, sig, s.stop());
            }
        }
        if (s.stop()) {
            stepping.cancelStep(engine, tid, stepping.plan(tid));
            return session.holdForEvent(tid, new StopReason(StopReason.Kind.SIGNAL, Signals.name(sig)));
        }
        return keep(tid, stepping.stepAction(tid));
    }

    @Override
    public ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
        session.fireEngines(task.tid());
        return keep(task.tid(), ResumeAction.RESUME);
    }

    @Override
    public ResumeAction step(Engine engine, Task task) {
        int tid = task.tid();
        StepPlan plan = stepping.plan(tid);
        if (session.holds.isHeld(tid)) {
            return ResumeAction.STOP;
        }
        if (plan == null || plan.runningToTarget()) {
            return ResumeAction.RESUME;
        }
        return stepping.continueStep(engine, task, plan);
    }

    @Override
    public ResumeAction breakpoint(Engine engine, Task task, long address) {
        int tid = task.tid();
        if (session.holds.isHeld(tid)) {
            return ResumeAction.STOP; // e.g. a step ended on this very instruction
        }
        if (breakpoints.isLoaderBreak(address)) {
            breakpoints.librariesChanged(engine); // then on at once, unless something of the user's is here too
        }
        StepPlan plan = stepping.plan(tid);
        if (plan != null && plan.isLineTarget(address)) {
            return stepping.atLine(engine, task, plan, address);
        }
        if (plan != null && plan.target == address) {
            ResumeAction next = stepping.atTarget(engine, task, plan, address);
            if (next != null) {
                return next;
            }
        }
        if (session.takeMainBreakpoint(address)) {
            engine.removeBreakpoint(address);
            stepping.cancelStep(engine, tid, plan);
            return session.holdForEvent(tid, new StopReason(StopReason.Kind.MAIN, ""));
        }
        for (CodeBreakpoint bp : breakpoints.at(address)) {
            String stopWhy = breakpoints.shouldStop(engine, tid, bp);
            if (stopWhy != null) {
                stepping.cancelStep(engine, tid, plan);
                return session.holdForEvent(tid, new StopReason(StopReason.Kind.BREAKPOINT, stopWhy, bp.owner()));
            }
        }
        return stepping.stepAction(tid);
    }

    /** A user watchpoint fired (after the access): the thread stops, and in all-stop mode the others. */
    @Override
    public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
        int tid = task.tid();
        if (session.holds.isHeld(tid)) {
            return ResumeAction.STOP;
        }
        for (DataWatchpoint w : session.watchpoints) {
            if (w.matches(wp.address(), wp.length(), wp.kind())) {
                StepPlan plan = stepping.plan(tid);
                stepping.cancelStep(engine, tid, plan);
                return session.holdForEvent(tid, new StopReason(StopReason.Kind.WATCHPOINT, w.label(), w.owner()));
            }
        }
        return stepping.stepAction(tid);
    }
}
