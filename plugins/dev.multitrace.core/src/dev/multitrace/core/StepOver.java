package dev.multitrace.core;

/**
 * A step over a breakpoint in flight: the state that lets it continue from the event loop (see
 * the rule "the tracer thread never blocks on one task" in {@link Tracer}). Tracer thread only.
 * <p>
 * It goes through two phases: the other threads of the process are being paused (the int3 is
 * still in memory), then {@link #lifted}: the original byte is back and the task single-steps.
 * Any status of the task ends it: the step trap, or whatever came first (a signal, an exit, a
 * SIGKILL, an interrupt).
 */
final class StepOver {

    final Task task;
    final BreakpointTable.Site site;
    /** The signal the task resumes with, delivered by the step. */
    final int signal;
    /** An engine asked for a step too: the step trap is reported to it as STEP. */
    final boolean engineStep;
    /** An engine asked for a stop (STOP, REPORT, INTERRUPT) meanwhile: taken once the step is done. */
    final boolean wantStop;
    /** The int3 is out and the task single-steps; before, the other threads are being paused. */
    boolean lifted;

    StepOver(Task task, BreakpointTable.Site site, int signal, boolean engineStep, boolean wantStop) {
        this.task = task;
        this.site = site;
        this.signal = signal;
        this.engineStep = engineStep;
        this.wantStop = wantStop;
    }
}
