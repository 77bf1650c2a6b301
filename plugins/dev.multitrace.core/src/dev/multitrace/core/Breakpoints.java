package dev.multitrace.core;

import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.x86_64.DebugRegisters;
import dev.multitrace.linux.x86_64.Regs;

import java.util.ArrayList;
import java.util.List;

/**
 * Breakpoint hits (our int3) and the step over a breakpoint: the original instruction executed
 * with the int3 lifted while every other thread of the process is stopped.
 * <p>
 * Threading: tracer thread only. A step-over continues from the event loop ({@link StepOver}, rule
 * "never blocks on one task" of {@link Tracer}): {@link #stepOver} pauses the process and returns,
 * {@link #advanceStepOver} lifts and steps once the others are stopped, the task's next status
 * ends it.
 */
final class Breakpoints {

    private final TracerContext cx;

    Breakpoints(TracerContext cx) {
        this.cx = cx;
    }

    /**
     * A SIGTRAP from an int3 (SI_KERNEL) just after one of our sites: a breakpoint hit. The pc is
     * rewound onto the site and the owners with an engine on this thread are told; the tracee never
     * sees this SIGTRAP. A site removed since the trap (the byte is no longer int3) is ours too.
     *
     * @return false if the int3 is the program's own: then it is a real SIGTRAP
     */
    boolean ourInt3(Task t) {
        Regs r = cx.regs(t);
        long address = r.pc() - 1;
        BreakpointTable table = t.process.breakpoints;
        BreakpointTable.Site site = table.at(address);
        if (site == null) {
            byte[] b = new byte[1];
            boolean removedSince = table.wasPlanted(address)
                    && dev.multitrace.linux.Memory.readProcMem(t.process.pid, address, b, 0, 1) == 1
                    && b[0] != BreakpointTable.INT3;
            if (!removedSince) {
                return false;
            }
        }
        r.setPc(address);
        Ptrace.setRegs(t.tid, r);
        t.stateLabel = "breakpoint 0x" + Long.toHexString(address);
        if (site == null) {
            cx.resumer.maybeResume(t);
            return true;
        }
        cx.passes.beginPass(t, Event.BREAKPOINT);
        breakpointRound(t, site);
        cx.passes.endPass(t);
        return true;
    }

    void breakpointRound(Task t, BreakpointTable.Site site) {
        t.atReportedSite = true;
        long address = site.address;
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(Event.BREAKPOINT) && site.ownedBy(e.ops)) {
                cx.passes.vote(t, e, cx.passes.invoke(e, Event.BREAKPOINT, x -> x.ops.breakpoint(x, t, address)), false);
            }
        }
        if (site.ownedBy(SoftwareWatchTable.EXECUTE_OWNER)) {
            // Software execute watches: the same report as a debug register's, before the instruction runs.
            cx.watches.softWatchRound(t, t.process.softWatches.executeAt(address), address);
        }
    }

    /**
     * Executes the original instruction under a breakpoint the task has stopped on: lift the
     * int3, single-step, plant it again. The other threads of the process are stopped meanwhile
     * so that none of them can run through the missing breakpoint. (Stopping them was chosen over
     * executing the displaced instruction out of line: it needs no instruction decoder or
     * rip-relative fix-ups, and costs nothing for single-threaded programs.)
     * <p>
     * It continues from the event loop (rule "never blocks on one task"): this pauses the process
     * and returns; {@link #advanceStepOver} lifts the int3 and steps once every other thread is
     * stopped, and the task's next status ends it ({@link #endStepOver}, then {@link Dispatcher#handle}).
     */
    void stepOver(Task t, BreakpointTable.Site site, int sig, boolean engineStep, boolean wantStop) {
        TracedProcess p = t.process;
        p.stepOver = new StepOver(t, site, sig, engineStep, wantStop);
        p.pauses++;
        for (Task x : new ArrayList<>(p.tasks.values())) {
            if (x != t && !settledForStepOver(x)) {
                cx.stopAll.requestStop(x);
            }
        }
        advanceStepOver(p);
    }

    /** A thread still awaiting its initial stop is left alone: the kernel holds it there before it runs any code. */
    static boolean settledForStepOver(Task x) {
        return StopAll.settled(x) || x.birth() == Task.Birth.AWAITING_FIRST_STOP;
    }

    /** Lifts the int3 and steps the task once every other thread of the process is stopped. */
    void advanceStepOver(TracedProcess p) {
        StepOver so = p.stepOver;
        if (so == null || so.lifted) {
            return;
        }
        for (Task x : p.tasks.values()) {
            if (x != so.task && !settledForStepOver(x)) {
                return;
            }
        }
        so.lifted = true;
        try {
            p.breakpoints.lift(so.site);
            Ptrace.singleStep(so.task.tid, so.signal);
        } catch (NoSuchTaskException gone) {
            // Killed (SIGKILL needs no permission from us): its status ends the step-over.
        } catch (RuntimeException e) {
            // The memory cannot be written: the process is being torn down, and its task's status ends this.
            cx.tracer.errorHandler.accept(e);
        }
    }

    /**
     * The task of a step-over has a status: the step is over, whatever the status says (the
     * step trap, or what came first). The int3 goes back, the pause ends; the status itself is
     * handled like any other, by {@link Dispatcher#handle}, which sees {@link Task#steppedOver}.
     */
    void endStepOver(StepOver so, boolean stop) {
        Task t = so.task;
        TracedProcess p = t.process;
        p.stepOver = null;
        BreakpointTable table = p.breakpoints;
        if (so.lifted && table.at(so.site.address) == so.site) {
            try {
                table.replant(so.site);
            } catch (RuntimeException gone) {
                // The image is gone (an exec, the process's death): nothing to plant in.
            }
        }
        t.steppedOver = so;
        t.stepping = so.lifted; // our single-step: its trap is never the program's (see takeForDetach)
        // Queued while the pause ends: unpause must not resume it before its status is handled.
        if (stop) {
            t.stopQueued();
        } else {
            t.endQueued();
        }
        cx.stopAll.unpause(p);
        t.queueDropped();
    }

    /** The step trap of a step-over: the original instruction ran. */
    void afterStepOver(Task t, StepOver so) {
        boolean engineStep = so.engineStep;
        t.stopTaken();
        t.stepping = false;
        try {
            if (t.debugRegisters.mayHaveTrapped()) {
                // The displaced instruction may have written a watched variable: same exception.
                long dr6 = DebugRegisters.read(t.tid, DebugRegisters.DR_STATUS);
                if ((dr6 & DebugRegisters.DR6_SLOTS) != 0) {
                    // BS here is our own step's, never the program's: masked so it is not passed on.
                    cx.watches.hardwareTrap(t, engineStep ? dr6 : dr6 & ~DebugRegisters.DR6_BS, engineStep, true, so.site.address);
                    return;
                }
            }
            List<SoftwareWatchTable.Watch> hits = cx.watches.softWatchHits(t);
            if (!hits.isEmpty()) {
                // The displaced instruction changed a software-watched value.
                t.stateLabel = hits.get(0).watchpoint.toString();
                cx.passes.beginPass(t, Event.WATCHPOINT);
                cx.watches.softWatchRound(t, hits, so.site.address);
                if (engineStep) {
                    cx.steps.stepRound(t);
                }
                cx.passes.endPass(t);
                return;
            }
            if (engineStep) {
                cx.steps.stepDone(t);
                return;
            }
            if (so.wantStop || Passes.stopWanted(t)) {
                cx.passes.requestedStop(t);
                return;
            }
            cx.resumer.maybeResume(t);
        } catch (NoSuchTaskException gone) {
            // Killed while we looked at it: its death follows.
            t.leftStop();
            t.toExiting();
            t.passAbandoned();
        }
    }
}
