package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.SigInfo;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.x86_64.DebugRegisters;
import dev.multitrace.linux.x86_64.Regs;

import java.util.ArrayList;
import java.util.List;

/**
 * Detaching: an engine let go of (and with the last one, the process), and a process let go of:
 * every thread brought to a stop, the stops seen and not handled taken for the detach, queued
 * traps of ours drained, the int3 bytes and debug registers restored, then PTRACE_DETACH with the
 * signal each thread stopped for.
 * <p>
 * Threading: tracer thread only. The process is paused and the pause is never ended: nothing of
 * it is left to resume.
 */
final class Detacher {

    /** Rounds of resuming threads with a SIGTRAP queued at a detach: see drainQueuedTraps. */
    private static final int MAX_DRAIN_ROUNDS = 4;

    private final TracerContext cx;

    Detacher(TracerContext cx) {
        this.cx = cx;
    }

    void engineDetached(Engine e) {
        Task t = e.task;
        Arbiter.release(e);
        t.remove(e);
        TracedProcess p = t.process;
        if (p.detached) {
            return;
        }
        boolean opsRemains = false;
        for (Task x : p.tasks.values()) {
            for (Engine o : x.engines) {
                opsRemains |= o.ops == e.ops && !o.detached;
            }
        }
        if (!opsRemains && !p.breakpoints.isEmpty()) {
            try {
                p.breakpoints.removeAll(e.ops);
            } catch (RuntimeException gone) {
                // The process is gone: its memory with it.
            }
        }
        if (!opsRemains) {
            p.softWatches.removeAll(e.ops, p.breakpoints);
        }
        if (!opsRemains && p.watchpoints.removeAll(e.ops)) {
            try {
                cx.watches.applyWatchpoints(p);
            } catch (RuntimeException failed) {
                cx.tracer.errorHandler.accept(failed);
            }
        }
        if (t.dead()) {
            return;
        }
        for (Task x : p.tasks.values()) {
            if (x.engines.length > 0) {
                if (t.stopped() && !t.inPass()) {
                    cx.resumer.maybeResume(t);
                }
                return;
            }
        }
        detachProcess(p);
    }

    /**
     * Detaches from every thread of {@code p}: each is brought to a stop first (ptrace can only
     * detach a stopped tracee), a signal it stopped for is passed on, and PTRACE_DETACH clears any
     * single-step flag. A group-stopped process stays stopped.
     */
    void detachProcess(TracedProcess p) {
        if (p.detached) {
            p.journal.add("detach asked, but let go or gone already");
            if (TracerContext.alive(p.pid) && cx.tracedByUs(p.pid)) {
                cx.tracer.errorHandler.accept(new TracingException("process " + p.pid + " is to be let go, but the service"
                        + " let go of it or took it for gone already, and it lives on, traced by us"));
            }
            return;
        }
        p.detached = true;
        p.journal.add("detach: threads " + p.tasks.keySet());
        for (Task t : p.tasks.values()) {
            for (Engine e : t.engines) {
                e.detached = true;
                e.holdsStop = false;
            }
        }
        // Every thread is brought to a stop first, then the int3 bytes go, then the threads: no
        // thread can run into a breakpoint after nobody traces it. The pause is never ended:
        // nothing of the process is left to resume.
        cx.stopAll.pause(p);
        while (takePendingForDetach(p) || !StopAll.allSettled(p)) {
            cx.stopAll.stopAndAwait(p); // a thread born meanwhile, told of by its parent's stop
        }
        drainQueuedTraps(p);
        letGoOfEarlyForkChildren(p); // their parent's FORK event will not be reported now
        p.journal.add("restore " + p.breakpoints.size() + " int3 sites" + (p.stepOver == null ? ""
                : ", a step-over of " + p.stepOver.task.tid + (p.stepOver.lifted ? " (lifted)" : "") + " in flight"));
        restoreBreakpoints(p);
        List<Integer> tids = new ArrayList<>(p.tasks.keySet());
        for (Task t : new ArrayList<>(p.tasks.values())) {
            if (t.dead()) {
                p.journal.add("skip " + t.tid + ", taken for dead (" + t.stateLabel + ")");
                if (cx.tracedByUs(t.tid) && TracerContext.alive(t.tid)) {
                    cx.tracer.errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                            + " taken for dead at the detach, yet traced and alive (" + t.stateLabel + ")"));
                }
                continue;
            }
            if (t.stopped()) {
                try {
                    rewindIfOnOurTrap(t);
                    t.debugRegisters.clear(t.tid);
                } catch (LinuxException gone) {
                    // Killed meanwhile: nothing to clear.
                }
                boolean ok = TracerContext.detached(t.tid, t.pendingSignal);
                p.journal.add("let go of " + t.tid + " (" + t.stateLabel + ") with signal " + t.pendingSignal
                        + (ok ? "" : ": failed"));
                if (!ok && cx.tracedByUs(t.tid)) {
                    // Not in a ptrace stop after all: it runs on, traced by nobody who waits for it.
                    cx.tracer.errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                            + " could not be let go: not in a ptrace stop though taken for stopped ("
                            + t.stateLabel + ")"));
                }
            }
            // Not stopped: exiting, past its exit stop. It runs no user code; its death comes to us
            // (and to its parent), as the status of a task we no longer know. (Should it be in a
            // stop after all, a PTRACE_INTERRUPT having failed as for a gone task, this lets it go;
            // a stop of it that comes later is let go by unknownTask.)
            if (!t.stopped()) {
                p.journal.add("let go of " + t.tid + " taken for exiting (" + t.stateLabel + ")");
            }
            if (!t.stopped() && !TracerContext.detached(t.tid, 0) && cx.tracedByUs(t.tid) && TracerContext.alive(t.tid)) {
                cx.tracer.errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                        + " taken for exiting at the detach, yet traced and alive (" + t.stateLabel + ")"));
            }
            cx.forget(t);
            t.toDead();
            t.stateLabel = "detached";
        }
        cx.deferred.removeIf(d -> tids.contains(d[0]) || d[0] == p.pid);
        p.held.clear();
        cx.processes.remove(p.pid);
        if (p.launched) {
            cx.detachedChildren.put(p.pid, p);
        } else {
            p.exit.complete(null);
        }
    }

    /**
     * Fork children of {@code p} whose first stop came before their parent's FORK event, when that
     * event will not come (the parent is let go or gone): let go, the int3 copies out of their memory.
     */
    void letGoOfEarlyForkChildren(TracedProcess p) {
        // By the parent seen at their first stop: a child whose parent died has another one now.
        for (var it = cx.earlyForkChildren.entrySet().iterator(); it.hasNext();) {
            var child = it.next();
            if (child.getValue() == p.pid) {
                it.remove();
                cx.taskEvents.letGoOfForkChild(p, child.getKey(), CloneKind.FORK).run();
            }
        }
    }

    void restoreBreakpoints(TracedProcess p) {
        try {
            p.breakpoints.restoreAll();
        } catch (RuntimeException e) {
            // The process died meanwhile: no memory is left to restore. Alive, it keeps an int3
            // that will kill it: that must be told, not swallowed.
            if (TracerContext.alive(p.pid)) {
                cx.tracer.errorHandler.accept(new TracingException("an int3 may be left in process " + p.pid
                        + ", let go: " + e.getMessage(), e));
            }
        }
    }



    /** A thread stopped by our int3 but not yet reported must not be let go with pc after it. */
    void rewindIfOnOurTrap(Task t) {
        if (t.pendingSignal == Signal.SIGTRAP && t.process.watchpoints.everUsed()) {
            // Nor with the SIGTRAP of our debug registers, which would kill it.
            SigInfo info = Ptrace.getSigInfo(t.tid);
            if (info.code() == SigInfo.TRAP_HWBKPT || info.code() == SigInfo.TRAP_TRACE) {
                long dr6 = DebugRegisters.read(t.tid, DebugRegisters.DR_STATUS);
                if ((dr6 & DebugRegisters.DR6_SLOTS) != 0) {
                    DebugRegisters.write(t.tid, DebugRegisters.DR_STATUS, 0);
                    // Our own step traps were not passed on (takeForDetach): a BS here is the program's.
                    t.pendingSignal = (dr6 & DebugRegisters.DR6_BS) != 0 ? Signal.SIGTRAP : 0;
                }
            }
        }
        if (t.pendingSignal == Signal.SIGTRAP && t.process.breakpoints.wasPlanted(cx.regs(t).pc() - 1)) {
            SigInfo info = Ptrace.getSigInfo(t.tid);
            if (info.code() == SigInfo.SI_KERNEL) {
                Regs r = cx.regs(t);
                r.setPc(r.pc() - 1);
                Ptrace.setRegs(t.tid, r);
                t.pendingSignal = 0;
            }
        }
    }

    /**
     * A thread our interrupt stopped just after it executed an int3 (or finished a step) has the
     * trap's SIGTRAP still queued (the kernel takes the interrupt's trap before it dequeues
     * signals): delivered after we let go, it would kill the program. Such a thread is resumed,
     * not interrupted again: the queued signal is dequeued before any instruction runs, and
     * that stop is taken for the detach (the SIGTRAP of our int3 suppressed, the pc rewound).
     * <p>
     * Resumed once is not always enough: an interrupt sent while the thread sat in a stop we had
     * not collected yet is still pending in the kernel (only a trap entered after it consumes
     * it), and it traps again before the dequeue. So the threads are looked at again after each
     * round until none has a SIGTRAP queued. Each round consumes one such interrupt, and a
     * thread has at most one pending, so the bound is never what ends it.
     */
    void drainQueuedTraps(TracedProcess p) {
        for (int round = 0; round < MAX_DRAIN_ROUNDS; round++) {
            boolean resumed = false;
            for (Task t : new ArrayList<>(p.tasks.values())) {
                if (t.stopState() != Task.StopState.STOPPED || t.dead() || t.exiting() || !hasTrapQueued(t)) {
                    continue;
                }
                try {
                    Ptrace.cont(t.tid, 0);
                    p.journal.add("drain round " + round + ": resumed " + t.tid + " to dequeue its SIGTRAP");
                    t.resumed();
                    t.stepping = false; // a trap of its step is told by t.stepTrapMayBeQueued
                    resumed = true;
                } catch (RuntimeException gone) {
                    // Killed meanwhile: its death follows.
                }
            }
            if (!resumed) {
                return;
            }
            if (!cx.tracer.runUntil(() -> StopAll.allSettled(p))) {
                return;
            }
            while (takePendingForDetach(p) || !StopAll.allSettled(p)) {
                cx.stopAll.stopAndAwait(p);
            }
        }
        for (Task t : p.tasks.values()) {
            if (t.stopped() && !t.dead() && hasTrapQueued(t)) {
                cx.tracer.errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                        + " still has a SIGTRAP queued after " + MAX_DRAIN_ROUNDS + " rounds of the detach"));
            }
        }
    }

    private static boolean hasTrapQueued(Task t) {
        try {
            return (ProcFs.status(t.tid).sigPnd() & (1L << (Signal.SIGTRAP - 1))) != 0;
        } catch (RuntimeException gone) {
            return false; // killed meanwhile: nothing is delivered to it any more
        }
    }

    /**
     * Takes every stop of {@code p} seen and not handled yet for the detach: what each thread
     * stopped for tells what to pass on (a signal) and what else to let go (a new thread).
     *
     * @return whether there was one
     */
    boolean takePendingForDetach(TracedProcess p) {
        List<int[]> pending = new ArrayList<>(p.held);
        p.held.clear();
        for (var it = cx.deferred.iterator(); it.hasNext();) {
            int[] d = it.next();
            Task t = cx.tasks.get(d[0]);
            if (t != null && t.process == p) {
                it.remove();
                pending.add(d);
            }
        }
        for (int[] d : pending) {
            Task t = cx.tasks.get(d[0]);
            if (t != null && !t.dead()) {
                t.queueDropped();
                takeForDetach(t, d[1]);
            }
        }
        return !pending.isEmpty();
    }

    void takeForDetach(Task t, int raw) {
        Stop stop = Stop.decode(raw);
        t.process.journal.add("take for the detach " + t.tid + ": " + stop);
        if (stop instanceof Stop.Gone) {
            cx.taskEvents.died(t, raw);
            return;
        }
        t.stopTaken();
        long message;
        try {
            message = stop instanceof Stop.Clone c ? TaskEvents.eventMessage(t, c.event()) : 0;
        } catch (NoSuchTaskException killed) {
            // Out of that stop and dying: there is nothing to take from it, its death follows.
            t.leftStop();
            t.toExiting();
            return;
        }
        // A CLONE event's kind (a thread, or a process sharing the memory or not) is in the
        // parent's syscall arguments, not in the status.
        CloneKind kind = !(stop instanceof Stop.Clone c) ? null
                : c.kind() == CloneKind.THREAD ? cx.taskEvents.cloneKind(t, (int) message) : c.kind();
        if (kind == CloneKind.THREAD) {
            // A thread born during the detach: it is traced too and must be let go as well.
            int child = (int) message;
            if (!t.process.tasks.containsKey(child)) {
                Task c = new Task(child, t.process);
                c.awaitFirstStop();
                cx.addTask(c);
            }
        } else if (kind != null) {
            int child = (int) message;
            Runnable letGo = cx.taskEvents.letGoOfForkChild(t.process, child, kind);
            if (cx.earlyForkChildren.remove(child) != null) {
                letGo.run();
            } else {
                cx.forkChildrenToDetach.put(child, letGo);
            }
        }
        // Only a signal-delivery-stop has a signal to pass on; a syscall-stop and the event stops
        // (their SIGTRAP, or a group stop's signal, is the report's) have none.
        int delivered = stop instanceof Stop.Delivery d ? d.signal() : 0;
        // Our step's trap is never the program's. It is this stop, or, when an interrupt stopped
        // the thread after the stepped instruction ran and before the trap was dequeued, it waits
        // queued behind it, to be dequeued when drainQueuedTraps resumes the thread: then its
        // si_code (the kernel's step trap, not a signal sent by someone or an int3) tells it apart
        // from a SIGTRAP the program was sent meanwhile.
        boolean stepTrap = delivered == Signal.SIGTRAP && (t.stepping || t.stepTrapMayBeQueued && isStepTrap(t));
        if (t.stepping && !(stop instanceof Stop.Delivery)) {
            t.stepTrapMayBeQueued = true; // what the stops before this one said stays true
        } else if (stepTrap) {
            t.stepTrapMayBeQueued = false; // consumed: a queued trap is dequeued before any later one
        }
        t.stepping = false;
        t.steppedOver = null;
        t.pendingSignal = stepTrap ? 0 : delivered;
    }

    /** The si_code of the kernel's single-step trap (TRAP_TRACE, or TRAP_BRKPT after a stepped syscall). */
    static boolean isStepTrap(Task t) {
        try {
            int code = Ptrace.getSigCode(t.tid);
            return code > 0 && code != SigInfo.SI_KERNEL;
        } catch (NoSuchTaskException gone) {
            return false; // killed meanwhile: nothing is delivered to it any more
        }
    }

    void kill(TracedProcess p) {
        LibC.kill(p.pid, Signal.SIGKILL);
    }
}
