package dev.multitrace.core;

import java.util.List;

/**
 * Single steps the engines asked for: the step trap reported as STEP, and a step interrupted by a
 * stop inside the instruction kept pending.
 * <p>
 * Threading: tracer thread only.
 */
final class Steps {

    private final TracerContext cx;

    Steps(TracerContext cx) {
        this.cx = cx;
    }

    void stepDone(Task t) {
        t.stepTrapMayBeQueued = false; // a queued trap is dequeued before any later one
        if (t.recheckTrapMask) {
            cx.watches.recheckTrapMask(t); // at a handler's first instruction (the step trap of a delivery)
        }
        List<SoftwareWatchTable.Watch> hits = cx.watches.softWatchHits(t);
        boolean programsTrap = t.userTrapFlag;
        t.userTrapFlag = false;
        if (hits.isEmpty() && t.steppers.length == 0 && !programsTrap) {
            // The service's own step for its software watches, and nothing changed: no engine
            // sees it. A STOP, REPORT or INTERRUPT asked meanwhile is served here (its interrupt
            // was consumed by this trap), else the task steps on.
            cx.passes.requestedStop(t);
            return;
        }
        t.stateLabel = hits.isEmpty() ? "step" : hits.get(0).watchpoint.toString();
        cx.passes.beginPass(t, hits.isEmpty() ? Event.STEP : Event.WATCHPOINT);
        cx.watches.softWatchRound(t, hits, t.pcBeforeStep);
        stepRound(t);
        if (programsTrap) {
            cx.signalDelivery.programsOwnStepTrap(t);
        }
        cx.passes.endPass(t);
    }

    /** Reports a completed step to the engines that asked for it, and a breakpoint it landed on. */
    void stepRound(Task t) {
        Engine[] steppers = t.steppers;
        t.steppers = Task.NO_ENGINES;
        for (Engine e : steppers) {
            if (e.task == t && !e.detached && e.wants(Event.STEP)) {
                ResumeAction a = cx.passes.invoke(e, Event.STEP, x -> x.ops.step(x, t));
                cx.passes.vote(t, e, a, false);
            }
        }
        // A step that lands on a breakpoint reports the breakpoint too: its owners see the hit
        // now, and the next resume executes the original instruction (nothing is skipped).
        BreakpointTable.Site site = t.process.breakpoints.isEmpty() ? null : t.process.breakpoints.at(cx.regs(t).pc());
        if (site != null) {
            cx.breakpoints.breakpointRound(t, site);
        }
    }

    /**
     * A step interrupted by a stop inside the instruction it executes: the engines that asked
     * for it keep their request, so the task resumes stepping and the step trap comes when the
     * instruction completes. An engine called at this stop may still change its mind.
     */
    void keepStepPending(Task t) {
        for (Engine e : t.steppers) {
            if (!e.detached && e.stepRequest == null) {
                e.stepRequest = t.stepWasBlock ? ResumeAction.BLOCKSTEP : ResumeAction.SINGLESTEP;
            }
        }
    }
}
