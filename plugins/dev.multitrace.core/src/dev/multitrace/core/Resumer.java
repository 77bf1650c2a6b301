package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.x86_64.Regs;

/**
 * The executor of the {@link Arbiter}'s resume plan: asks it whether and how a stopped task runs,
 * then applies the plan with ptrace (the debug registers synced, a breakpoint stepped over, the
 * software-watch stepping chosen, the request issued).
 * <p>
 * Threading: tracer thread only (ptrace answers only the thread that attached).
 */
final class Resumer {

    private final TracerContext cx;

    Resumer(TracerContext cx) {
        this.cx = cx;
    }

    /** The x86 trap flag: a single-step trap after the next instruction. */
    static final long EFLAGS_TF = 1L << 8;

    /** PTRACE_SINGLEBLOCK needs the CPU's branch trap; cleared at the first refusal. */
    boolean blockStepWorks = true;

    /** Resumes the task if it is stopped, outside a pass, and no engine holds it. */
    void maybeResume(Task t) {
        try {
            resumeIfFree(t);
        } catch (NoSuchTaskException gone) {
            // Killed while we read its registers or memory (SIGKILL needs no permission from
            // us): its death follows. No caller of a resume may see this as its own failure.
            t.toExiting();
        }
    }

    /** Asks the arbiter whether the task may run and how, then applies its plan with ptrace. */
    void resumeIfFree(Task t) {
        Arbiter.Plan plan = Arbiter.decide(t, t.process.pauses > 0);
        if (plan instanceof Arbiter.Stay stay) {
            if (stay.heldBy() != null) {
                t.stateLabel = "held by " + stay.heldBy();
            }
            return;
        }
        Arbiter.Go go = (Arbiter.Go) plan;
        Arbiter.consume(go);
        boolean wantStop = go.wantStop();
        Engine[] steppers = go.steppers();
        int steps = steppers.length;
        boolean allBlock = go.allBlock();
        t.steppers = steppers;
        int sig = t.pendingSignal;
        t.pendingSignal = 0;
        BreakpointTable.Site site = null;
        if (t.atReportedSite) {
            t.atReportedSite = false;
            // An exiting thread runs no more instructions: nothing to step over.
            site = t.exiting() ? null : t.process.breakpoints.at(cx.regs(t).pc()); // ESRCH: see maybeResume
        }
        boolean watching = !t.process.watchpoints.isEmpty();
        if (watching || t.debugRegisters.anyEnabled()) {
            try {
                cx.watches.syncDebugRegisters(t);
            } catch (NoSuchTaskException gone) {
                t.toExiting();
                return;
            } catch (RuntimeException e) {
                cx.tracer.errorHandler.accept(e);
            }
        }
        // Software write watches: every thread runs one instruction at a time (WatchMethod.SOFTWARE);
        // an exiting thread runs no more instructions, and its memory may be going: it just goes on.
        boolean softStepping = t.process.softWatches.stepping() && !t.exiting();
        boolean softRun = softStepping && steps == 0 && site == null && !t.groupStopped;
        boolean softStep = softRun && cx.watches.softWatchStep(t);
        t.softWatchSyscalls = softRun && !softStep;
        if (softStepping && (sig != 0 || t.injectedSignal != 0)) {
            t.recheckTrapMask = true; // a handler may run with SIGTRAP blocked (see softWatchStep)
        }
        // A data watchpoint hit by a single-step names the stepped instruction as the writer.
        t.pcBeforeStep = (steps > 0 && watching) || softStepping ? cx.regs(t).pc() : -1;
        // The kernel shows the trap flag only where the program set it (not where a step of ours
        // did): then the trap after this instruction is the program's too, and it gets it.
        // A step that delivers a signal stops at the handler's first instruction (the kernel
        // clears the trap flag for the handler): that stop is not the program's trap.
        t.userTrapFlag = softStep && sig == 0 && (cx.regs(t).get(Regs.EFLAGS) & EFLAGS_TF) != 0;
        allBlock &= !softStepping; // a block step would run past the instruction that writes
        t.stepWasBlock = steps > 0 && allBlock && blockStepWorks && site == null;
        t.watchInstruction = -1;
        t.debugRegisters.resumed();
        t.generation++;
        t.regs = null;
        t.resumed();
        t.stateLabel = "running";
        try {
            if (t.injectedSignal != 0) {
                LibC.tgkill(t.process.pid, t.tid, t.injectedSignal);
            }
            if (site != null) {
                cx.breakpoints.stepOver(t, site, sig, steps > 0, wantStop);
                return;
            }
            resume(t, sig, softStep ? 1 : steps, allBlock, wantStop);
        } catch (NoSuchTaskException gone) {
            t.toExiting();
        } catch (LinuxException refused) {
            // Still where it was: counted as stopped, so that nothing waits for a stop that will not come.
            t.atStop();
            throw refused;
        }
    }

    void resume(Task t, int sig, int steps, boolean allBlock, boolean wantStop) {
        Arbiter.Request request = Arbiter.request(steps, allBlock && blockStepWorks, t.groupStopped,
                t.wantsSyscalls() || t.softWatchSyscalls);
        switch (request) {
            case SINGLEBLOCK -> {
                t.stepping = true;
                try {
                    Ptrace.singleBlock(t.tid, sig);
                } catch (NoSuchTaskException gone) {
                    throw gone;
                } catch (LinuxException e) {
                    // No branch trap on this CPU or hypervisor (EIO): single-step instead.
                    blockStepWorks = false;
                    Ptrace.singleStep(t.tid, sig);
                }
            }
            case SINGLESTEP -> {
                t.stepping = true;
                Ptrace.singleStep(t.tid, sig);
            }
            case LISTEN -> {
                t.stateLabel = "job control stop";
                Ptrace.listen(t.tid);
            }
            case SYSCALL -> Ptrace.syscall(t.tid, sig);
            case CONT -> Ptrace.cont(t.tid, sig);
        }
        if (request != Arbiter.Request.SYSCALL) {
            // No syscall-exit-stop follows a resume other than PTRACE_SYSCALL: a number kept
            // from an entry would be stale at the next exit stop.
            t.syscallNr = -1;
        }
        if (wantStop) {
            cx.stopAll.requestStop(t);
        }
    }
}
