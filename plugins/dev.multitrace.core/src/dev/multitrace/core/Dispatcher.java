package dev.multitrace.core;

import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcStatus;
import dev.multitrace.linux.Signal;

import java.util.ArrayDeque;

/**
 * Where one wait status of a traced task goes (see the rule "never blocks on one task" of
 * {@link Tracer}): to the wait that claimed its tid, to the deferred queue while its task's pass is
 * up the stack, to the held stops of a paused process, or decoded ({@link Stop}) and handled by the
 * piece that knows its kind. A status of a tid no task stands for yet is decided here too (a clone
 * or fork child whose first stop came first, a thread of a process let go).
 * <p>
 * Threading: tracer thread only.
 */
final class Dispatcher {

    private final TracerContext cx;

    Dispatcher(TracerContext cx) {
        this.cx = cx;
    }

    /** @param fresh the status comes from waitpid now (else from {@link TracerContext#deferred}) */
    void dispatch(int tid, int raw, boolean fresh) {
        if (tid == cx.queue.doorbell) {
            cx.queue.doorbellEvent(raw);
            return;
        }
        ArrayDeque<Integer> claim = cx.claimed.get(tid);
        if (claim != null) {
            claim.add(raw);
            return;
        }
        Task t = cx.tasks.get(tid);
        if (t == null) {
            unknownTask(tid, raw);
            return;
        }
        TracedProcess p = t.process;
        route(t, raw, fresh);
        cx.breakpoints.advanceStepOver(p);
    }

    /** Where one status of a known task goes: see the rule "never blocks on one task". */
    void route(Task t, int raw, boolean fresh) {
        boolean stop = Stop.isStop(raw);
        if (fresh && t.statusQueued()) {
            // Only SIGKILL takes a tracee out of a ptrace stop we did not resume: a status seen
            // for that stop and not handled yet tells of a place it has left.
            dropPending(t);
        }
        StepOver so = t.process.stepOver;
        if (so != null && so.task == t) {
            cx.breakpoints.endStepOver(so, stop);
        }
        if (cx.tracer.loopDepth > 0 && t.inPass()) {
            defer(t, raw, stop);
            return;
        }
        if (t.process.pauses > 0 && stop && !Stop.isExitStop(raw)) {
            cx.stopAll.pausedStop(t, raw);
            return;
        }
        handle(t, raw);
    }

    /** Handles one status of a task: reports it to the engines and resumes the task if nobody holds it. */
    void handle(Task t, int raw) {
        Stop stop = Stop.decode(raw);
        StepOver so = t.steppedOver;
        if (so != null) {
            t.steppedOver = null;
            if (stop instanceof Stop.Delivery d && d.signal() == Signal.SIGTRAP) {
                cx.breakpoints.afterStepOver(t, so);
                return;
            }
            // Something else came first (a signal, an exit, or a PTRACE_INTERRUPT that reached the
            // task while it sat in an unreported stop): handled as usual. If the instruction under
            // the breakpoint has not run yet, the next resume must step over it.
            t.stepping = so.engineStep; // an engine's step that an event stop interrupts stays pending
            if (!(stop instanceof Stop.Gone)) {
                t.atStop();
                t.regs = null;
                try {
                    t.atReportedSite = cx.regs(t).pc() == so.site.address;
                } catch (NoSuchTaskException gone) {
                    t.atReportedSite = false; // killed meanwhile: its death follows
                }
            }
        }
        if (stop instanceof Stop.Gone) {
            cx.taskEvents.died(t, raw);
            return;
        }
        t.stopTaken(); // whoever wanted a stop gets this one
        boolean wasStepping = t.stepping;
        t.stepping = false;
        if (wasStepping && !(stop instanceof Stop.Delivery)) {
            // An interrupt that came after the stepped instruction ran traps before the step's
            // SIGTRAP is dequeued (so does a syscall's exit after a step from its entry stop):
            // that trap waits queued, and whatever resume comes next dequeues it.
            t.stepTrapMayBeQueued = true;
        }
        if (wasStepping && stop.insideInstruction()) {
            // A stop inside the syscall the step is executing (fork, clone, exec, a syscall-stop):
            // the instruction has not completed, so the step has not either.
            cx.steps.keepStepPending(t);
        }
        try {
            switch (stop) {
                case Stop.Syscall s -> cx.taskEvents.syscallStop(t);
                case Stop.Delivery d -> cx.signalDelivery.signalStop(t, d.signal(), wasStepping);
                case Stop.Clone c -> cx.taskEvents.cloneEvent(t, c.event());
                case Stop.Exec x -> cx.taskEvents.execEvent(t);
                case Stop.Exit x -> cx.taskEvents.exitEvent(t);
                case Stop.GroupStop g -> cx.taskEvents.groupStop(t, g.signal());
                case Stop.Interrupt x -> cx.taskEvents.interruptStop(t, wasStepping);
                case Stop.VforkDone x -> cx.taskEvents.vforkDoneEvent(t);
                case Stop.OtherEvent x -> cx.resumer.maybeResume(t); // anything else: nothing to report
                case Stop.Gone x -> throw new IllegalStateException("handled above");
            }
        } catch (NoSuchTaskException gone) {
            // Killed while we looked at it (SIGKILL needs no permission from us): its death follows.
            t.leftStop();
            t.toExiting();
            t.passAbandoned();
        }
    }

    /** A stop seen while the task's pass is up the stack: dispatched by the main loop after it. */
    void defer(Task t, int raw, boolean stop) {
        if (stop) {
            t.stopQueued();
        } else {
            t.endQueued();
            t.toExiting();
        }
        cx.deferred.add(new int[] {t.tid, raw});
    }

    /** Forgets the statuses of {@code t} seen and not handled yet. */
    void dropPending(Task t) {
        t.process.held.removeIf(d -> d[0] == t.tid);
        cx.deferred.removeIf(d -> d[0] == t.tid);
        t.queueDropped();
    }

    void unknownTask(int tid, int raw) {
        TracedProcess child = cx.detachedChildren.get(tid);
        if (child != null) {
            if (!Stop.isStop(raw)) {
                cx.detachedChildren.remove(tid);
                Tracer.letGoChildEnded(child, ExitStatus.of(raw));
            }
            return;
        }
        if (!Stop.isStop(raw)) {
            // An exit of something we let go of, or of a fork child killed before its first stop:
            // nothing may stay kept under its tid, which the kernel gives out again once pids wrap.
            cx.forkChildrenToDetach.remove(tid);
            cx.earlyForkChildren.remove(tid);
            return;
        }
        Runnable letGo = cx.forkChildrenToDetach.remove(tid);
        if (letGo != null) {
            letGo.run();
            return;
        }
        // The first stop of an auto-attached clone can come before its parent's CLONE event.
        ProcStatus st;
        try {
            st = ProcFs.status(tid);
        } catch (RuntimeException e) {
            return;
        }
        // Killed (SIGKILL, a group exit) before its first stop: this is its exit stop, not an
        // initial stop, and the parent's CLONE or FORK event may never come.
        boolean exitStop = Stop.isExitStop(raw);
        TracedProcess p = cx.processes.get(st.tgid());
        if (p != null) {
            Task t = new Task(tid, p);
            t.atStop();
            t.awaitParentReport();
            t.stateLabel = "new thread";
            cx.addTask(t);
            if (exitStop) {
                t.toExiting();
                t.stateLabel = "exiting";
                cx.resumer.maybeResume(t); // on to its death, which is reaped as any thread's
            }
        } else if (exitStop) {
            cx.detachQuietly(tid, 0);
        } else if (st.tgid() != tid || cx.processes.get(st.ppid()) == null) {
            // A thread of a process we let go (or lost), or a fork child whose parent we no longer
            // trace, so no FORK event will come to decide for it: never left in a ptrace stop.
            cx.detachQuietly(tid, 0);
        } else {
            TracedProcess parent = cx.processes.get(st.ppid());
            if (parent != null && parent.followForks) {
                TracedProcess np = new TracedProcess(tid, false, false);
                np.followForks = true;
                np.breakpoints = parent.breakpoints.copyFor(tid, false); // shared or not: told by the parent's event
                np.watchpoints.copyFrom(parent.watchpoints);
                np.softWatches.copyFrom(parent.softWatches);
                cx.processes.put(tid, np);
                Task t = new Task(tid, np);
                t.atStop();
                t.awaitParentReport();
                cx.addTask(t);
            } else {
                // A fork child of a process that does not follow forks: held until the parent's
                // event says fork or vfork (a vfork child shares the parent's memory and int3s).
                cx.earlyForkChildren.put(tid, st.ppid());
            }
        }
    }
}
