package dev.multitrace.core;

/**
 * What an engine wants the task to do next, strongest first. After a reporting pass the task
 * resumes with the strongest action of the engines that were called; {@link #STOP} is sticky
 * per engine.
 */
public enum ResumeAction {
    /** Keep the task quiescent until this engine resumes it with {@link Engine#control}. */
    STOP,
    /** Bring the task to a signal-report stop soon, breaking a blocking syscall. */
    INTERRUPT,
    /** Bring the task to a QUIESCE report soon, without breaking a syscall. */
    REPORT,
    /**
     * Execute one instruction, then report STEP to this engine. A step of a syscall instruction
     * that stops inside the syscall (a fork, clone or exec event) is not complete there: it stays
     * pending for engines not called at that stop and ends, with STEP, when the syscall returns.
     * An engine called at that stop decides anew (the last round decides).
     */
    SINGLESTEP,
    /** Run to the next branch, then report STEP to this engine (single-step where another engine steps). */
    BLOCKSTEP,
    /** Let the task run. */
    RESUME,
    /** Detach this engine (counts as RESUME for the task). */
    DETACH;

    /** The stronger of two actions. */
    public static ResumeAction strongest(ResumeAction a, ResumeAction b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    boolean isStep() {
        return this == SINGLESTEP || this == BLOCKSTEP;
    }
}
