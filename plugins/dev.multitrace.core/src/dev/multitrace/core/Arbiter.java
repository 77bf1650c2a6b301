package dev.multitrace.core;

/**
 * The engine model's decisions, with no kernel calls: what an engine's vote does to its
 * bookkeeping, whether a stopped task may run, and how. {@link Tracer} asks, then applies the
 * answer with ptrace; the kernel-free model tests (core.tests' {@code EngineModelCheckTest}) ask
 * the same questions through every interleaving of small scenarios.
 * <p>
 * Threading: tracer thread only, like the fields of {@link Engine} and {@link Task} it reads and
 * writes (rule 2 of {@link Tracer}). The one exception is {@link #mayCall}, whose reads of the
 * volatile mask and detach flag must come after {@code inCallback} is set (see {@link Engine}).
 */
final class Arbiter {

    private Arbiter() {
    }

    /** What the votes make of a stopped task's resume. */
    sealed interface Plan permits Stay, Go {
    }

    /**
     * The task stays where it is.
     *
     * @param heldBy the engines that hold it stopped, for views ({@code null}: not held by an
     *               engine, but not free to run: not stopped, in a pass, its stop not handled
     *               yet, its CLONE not reported yet, or its process paused)
     */
    record Stay(String heldBy) implements Plan {
        static final Stay NOT_NOW = new Stay(null);
    }

    /**
     * The task runs.
     *
     * @param steppers the engines that get the STEP report (in attach order; empty: no step)
     * @param allBlock every stepper asked for BLOCKSTEP (else one single-step serves them all)
     * @param wantStop an engine asked for a stop (REPORT, INTERRUPT, or STOP not reached yet):
     *                 interrupt the task as soon as it runs
     */
    record Go(Engine[] steppers, boolean allBlock, boolean wantStop) implements Plan {
    }

    /** The ptrace request that resumes a task. */
    enum Request {
        SINGLESTEP, SINGLEBLOCK, LISTEN, SYSCALL, CONT
    }

    /**
     * Whether an engine is called for {@code ev} now. Read after {@code inCallback} is set: a
     * detach or setEvents racing with the call either stops it or answers IN_PROGRESS.
     */
    static boolean mayCall(Engine e, Event ev) {
        return !e.detached && (ev == Event.QUIESCE || ev == Event.STEP || e.wants(ev));
    }

    /**
     * Records what an engine returned (a callback's answer, or a step/RESUME by control): the last
     * round decides, STOP is the engine's own and sticky.
     *
     * @return whether the engine detaches now (its DETACH): the caller lets go of it
     */
    static boolean vote(Engine e, ResumeAction a, boolean inSignalReport) {
        if (a == null || e.detached) {
            return false;
        }
        if (inSignalReport && (a == ResumeAction.REPORT || a == ResumeAction.INTERRUPT)) {
            a = ResumeAction.RESUME; // no report loops
        }
        switch (a) {
            case STOP -> e.holdsStop = true;
            case INTERRUPT -> {
                e.holdsStop = false;
                e.interruptPending = true;
            }
            case REPORT -> {
                e.holdsStop = false;
                e.quiescePending = true;
            }
            case SINGLESTEP, BLOCKSTEP -> {
                e.holdsStop = false;
                e.stepRequest = a;
            }
            case RESUME -> {
                e.holdsStop = false;
                e.stepRequest = null;
            }
            case DETACH -> {
                e.detached = true;
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an engine is told QUIESCE first when a pass begins (it asked for QUIESCE, or it has
     * a STOP or REPORT pending); a pending one is consumed here.
     */
    static boolean quiesceFirst(Engine e) {
        if (e.detached || !(e.quiescePending || e.wants(Event.QUIESCE))) {
            return false;
        }
        e.quiescePending = false;
        return true;
    }

    /** What a stop that engines asked for (or a stale interrupt) reports. */
    enum Requested {
        /** An INTERRUPT is pending: a signal report (REPORT signal action). */
        INTERRUPT_REPORT,
        /** A STOP or REPORT is pending: a QUIESCE pass. */
        QUIESCE_REPORT,
        /** Nobody asks any more (a detach, a resume since): the task may run. */
        NONE
    }

    static Requested requested(Task t) {
        boolean interrupt = false;
        boolean quiesce = false;
        for (Engine e : t.engines) {
            if (!e.detached) { // a detach begun from another thread during a pass: its votes are gone already
                interrupt |= e.interruptPending;
                quiesce |= e.quiescePending;
            }
        }
        return interrupt ? Requested.INTERRUPT_REPORT : quiesce ? Requested.QUIESCE_REPORT : Requested.NONE;
    }

    /**
     * What an engine's {@code control} call does, in order: call its QUIESCE now, report an
     * interrupt now, interrupt the running task, try to resume.
     */
    record Control(Result result, boolean quiesceNow, boolean interruptReportNow, boolean requestStop, boolean resume) {
        static final Control ALREADY = new Control(Result.ALREADY, false, false, false, false);
        static final Control NO_SUCH_TASK = new Control(Result.NO_SUCH_TASK, false, false, false, false);
        static final Control OK = new Control(Result.OK, false, false, false, false);
        static final Control OK_RESUME = new Control(Result.OK, false, false, false, true);
        static final Control PENDING = new Control(Result.IN_PROGRESS, false, false, true, false);
    }

    /**
     * The control rules of the spec: STOP on a running task answers IN_PROGRESS and a QUIESCE
     * report follows; on a stopped task it completes at once (reported to the engine if it asked
     * for QUIESCE and no pass runs). REPORT and INTERRUPT report now when the task is stopped
     * outside a pass, at the pass's end inside one, else at the stop they ask for. A step or
     * RESUME is a vote.
     */
    static Control control(Engine e, ResumeAction action) {
        Task t = e.task;
        if (e.detached) {
            return Control.ALREADY;
        }
        if (t.dead() || (t.exiting() && !t.stopped())) {
            return Control.NO_SUCH_TASK;
        }
        switch (action) {
            case STOP -> {
                boolean already = e.holdsStop;
                e.holdsStop = true;
                if (!t.stopped()) {
                    e.quiescePending = true;
                    return Control.PENDING;
                }
                // Completes at once (another engine holds it, or it is at a stop): report it.
                boolean report = !t.inPass() && !already && e.wants(Event.QUIESCE);
                return report ? new Control(Result.OK, true, false, false, true) : Control.OK;
            }
            case REPORT -> {
                if (!t.stopped()) {
                    e.quiescePending = true;
                    return Control.PENDING;
                }
                if (t.inPass()) {
                    e.quiescePending = true;
                    return Control.OK;
                }
                return new Control(Result.OK, true, false, false, true);
            }
            case INTERRUPT -> {
                e.interruptPending = true;
                if (!t.stopped()) {
                    return Control.PENDING;
                }
                return t.inPass() ? Control.OK : new Control(Result.OK, false, true, false, false);
            }
            case SINGLESTEP, BLOCKSTEP, RESUME -> {
                vote(e, action, false);
                return Control.OK_RESUME;
            }
            default -> throw new IllegalArgumentException(action.toString());
        }
    }

    /** A detached engine's votes are gone: it holds nothing, steps nothing, wants no stop. */
    static void release(Engine e) {
        e.holdsStop = false;
        e.stepRequest = null;
        e.quiescePending = false;
        e.interruptPending = false;
    }

    /**
     * Whether the stopped task may run, and how (the strongest vote wins: any holder keeps it;
     * else any wanted stop interrupts it soon; else the steppers step it; else it runs). Does not
     * change the votes: whoever applies a {@link Go} consumes the step requests ({@link #consume}).
     *
     * @param paused its process is paused (a step-over, attach or detach in progress)
     */
    static Plan decide(Task t, boolean paused) {
        if (t.dead() || t.stopState() != Task.StopState.STOPPED || t.inPass()) {
            return Stay.NOT_NOW; // a deferred stop is reported (and the task resumed) when its turn comes
        }
        if (t.birth() == Task.Birth.AWAITING_PARENT_REPORT && !t.exiting()) {
            return Stay.NOT_NOW; // its CLONE has not been reported yet: engines may still want to attach
        }
        if (paused && !t.exiting()) {
            return Stay.NOT_NOW; // its process is paused (a step-over, attach, detach...): unpause resumes it
        }
        if (t.held()) {
            StringBuilder who = new StringBuilder();
            for (Engine e : t.engines) {
                if (e.holdsStop && !e.detached) {
                    who.append(who.isEmpty() ? "" : ", ").append(e.data != null ? e.data : e.ops.getClass().getSimpleName());
                }
            }
            return new Stay(who.toString());
        }
        boolean wantStop = false;
        int steps = 0;
        boolean allBlock = true;
        for (Engine e : t.engines) {
            if (e.detached) {
                // Its detach began (from another thread, during a pass) and the tracer has not let
                // go of it yet: what it asked no longer counts. A REPORT it left pending would
                // otherwise interrupt the task again at every stop until then.
                continue;
            }
            wantStop |= e.quiescePending || e.interruptPending;
            if (e.stepRequest != null) {
                steps++;
                allBlock &= e.stepRequest == ResumeAction.BLOCKSTEP;
            }
        }
        Engine[] steppers = new Engine[steps];
        int i = 0;
        for (Engine e : t.engines) {
            if (e.stepRequest != null && !e.detached) {
                steppers[i++] = e;
            }
        }
        return new Go(steppers, allBlock, wantStop);
    }

    /** Stepping is never sticky: a step request is used by the resume that takes it. */
    static void consume(Go go) {
        for (Engine e : go.steppers()) {
            e.stepRequest = null;
        }
    }

    /**
     * The request that resumes a task: a step if anyone steps (a block step only where every
     * stepper asked for one and the CPU can), PTRACE_LISTEN in a job-control stop (an engine's
     * resume does not end it), syscall stops only while someone wants them (they must cost
     * nothing when nobody asked), else a plain continue.
     */
    static Request request(int steps, boolean blockStep, boolean groupStopped, boolean syscallStops) {
        if (steps > 0) {
            return blockStep ? Request.SINGLEBLOCK : Request.SINGLESTEP;
        }
        if (groupStopped) {
            return Request.LISTEN;
        }
        return syscallStops ? Request.SYSCALL : Request.CONT;
    }
}
