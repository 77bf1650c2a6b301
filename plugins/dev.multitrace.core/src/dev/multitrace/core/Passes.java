package dev.multitrace.core;

/**
 * The reporting passes: the engines of a stopped task are called in rounds (QUIESCE first, then
 * the event), their votes recorded by {@link Arbiter}, and the task resumed at the pass's end if
 * nobody holds it. Also the engines' {@code control} calls, which {@link Arbiter#control} decides
 * and this applies.
 * <p>
 * Threading: tracer thread only. While a pass runs ({@link Task#inPass}) the task is not resumed;
 * a status of it seen by a wait further down the stack is deferred to the main loop.
 * {@link #invoke} sets {@code inCallback} before {@link Arbiter#mayCall} reads the volatile mask and
 * detach flag (the Dekker-style order of {@link Engine}).
 */
final class Passes {

    private final TracerContext cx;

    Passes(TracerContext cx) {
        this.cx = cx;
    }

    /** A stop that exists because engines asked for it (STOP, REPORT, INTERRUPT), or a stale interrupt. */
    void requestedStop(Task t) {
        switch (Arbiter.requested(t)) {
            case INTERRUPT_REPORT -> interruptReport(t);
            case QUIESCE_REPORT -> {
                t.stateLabel = "stopped";
                beginPass(t, Event.QUIESCE);
                endPass(t);
            }
            case NONE -> cx.resumer.maybeResume(t);
        }
    }

    /** The signal-report stop of INTERRUPT: every signal engine may inject any signal. */
    void interruptReport(Task t) {
        t.stateLabel = "interrupted";
        SignalReport report = new SignalReport(0, null, SignalAction.REPORT);
        beginPass(t, Event.SIGNAL);
        for (Engine e : t.engines) {
            e.interruptPending = false;
        }
        signalRound(t, Event.SIGNAL, report);
        cx.signalDelivery.applySignal(t, report, false);
        endPass(t);
    }

    @FunctionalInterface
    interface Callback {
        ResumeAction call(Engine e);
    }

    /** Starts a pass: engines that asked for QUIESCE (or have a STOP/REPORT pending) are told first. */
    void beginPass(Task t, Event ev) {
        t.passBegins();
        for (Engine e : t.engines) {
            if (Arbiter.quiesceFirst(e)) {
                ResumeAction a = invoke(e, Event.QUIESCE, x -> x.ops.quiesce(x, t, ev));
                vote(t, e, a, false);
            }
        }
    }

    void endPass(Task t) {
        t.passEnds();
        cx.resumer.maybeResume(t);
    }

    void eventRound(Task t, Event ev, boolean newestFirst, Callback cb) {
        Engine[] snap = t.engines;
        for (int i = 0; i < snap.length; i++) {
            Engine e = snap[newestFirst ? snap.length - 1 - i : i];
            if (!e.detached && e.wants(ev)) {
                vote(t, e, invoke(e, ev, cb), false);
            }
        }
    }

    void signalRound(Task t, Event ev, SignalReport report) {
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(ev)) {
                vote(t, e, invoke(e, ev, x -> x.ops.signal(x, t, report)), true);
            }
        }
    }

    /**
     * Calls one engine. {@code inCallback} is set before the volatile mask and detach flag are
     * read again (see {@link Engine}): a detach or setEvents racing with us either stops this
     * call or sees it and answers IN_PROGRESS.
     */
    ResumeAction invoke(Engine e, Event ev, Callback cb) {
        e.inCallback = true;
        try {
            if (!Arbiter.mayCall(e, ev)) {
                return null;
            }
            e.callbackCount++; // tracer thread is the only writer
            ResumeAction a = cb.call(e);
            a = a == null ? ResumeAction.RESUME : a;
            e.lastAction = a;
            return a;
        } catch (Throwable x) {
            cx.tracer.errorHandler.accept(new TracingException("callback " + ev + " of " + e + " threw " + x, x));
            return ResumeAction.RESUME;
        } finally {
            e.callbackDone();
        }
    }

    /** Records what an engine returned ({@link Arbiter#vote}); its DETACH lets go of it here. */
    void vote(Task t, Engine e, ResumeAction a, boolean inSignalReport) {
        if (Arbiter.vote(e, a, inSignalReport)) {
            cx.detacher.engineDetached(e);
        }
    }

    /** An engine asked for a stop (STOP, REPORT or INTERRUPT) that has not come yet. */
    static boolean stopWanted(Task t) {
        for (Engine e : t.engines) {
            if (e.quiescePending || e.interruptPending) {
                return true;
            }
        }
        return false;
    }

    /** An engine's control call: {@link Arbiter#control} decides, this applies it. */
    Result control(Engine e, ResumeAction action) {
        Task t = e.task;
        Arbiter.Control c = Arbiter.control(e, action);
        if (c.quiesceNow()) {
            vote(t, e, invoke(e, Event.QUIESCE, x -> x.ops.quiesce(x, t, Event.QUIESCE)), false);
        }
        if (c.interruptReportNow()) {
            interruptReport(t);
        }
        if (c.requestStop()) {
            cx.stopAll.requestStop(t);
        }
        if (c.resume()) {
            cx.resumer.maybeResume(t);
        }
        return c.result();
    }
}
