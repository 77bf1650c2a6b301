package dev.multitrace.session;

/**
 * One thread's step in progress. Created by the thread that asks for the step, then read and
 * changed only by the tracer thread in that thread's callbacks (the hand-over is the
 * {@code control} call, which runs on the tracer thread after the plan is published).
 * A step into selection ({@link #selection}) that starts on another line runs to that line first
 * ({@link #lineTargets}); its start line, pc and frame are those of its arrival there.
 */
final class StepPlan {

    final StepKind kind;
    /**
     * The line the step started on (null: no line information there). It, {@link #startPc} and
     * {@link #frameCfa} become the caller's when the step returns into the middle of the caller's line
     * ({@link #returnedTo}).
     */
    SourcePosition startLine;
    long startPc;
    /** The start frame's CFA: an sp at or above it means the frame returned. */
    long frameCfa;
    /** Step into selection: the only function a call on the start line may enter (others are run over); else null. */
    final String selection;
    /** Step into selection from another line: the breakpoints of that line, run to first; null once there. */
    long[] lineTargets;

    /** Where the previous instruction was (to see that it was a call). */
    long prevPc;
    long prevSp;
    /** A temporary breakpoint the step runs to, 0 if single-stepping. */
    long target;
    /** Only a hit with sp at or above this counts (recursion passes the return address in deeper frames). */
    long targetMinSp;
    /**
     * If not 0, a hit in a frame deeper than the one with this CFA does not count (a stretch with calls in it:
     * a recursive call reaches the stretch's end first, deeper).
     */
    long targetCfa;
    /** Reaching the target ends the step (step into a function, step return); else stepping goes on from there. */
    boolean stopAtTarget;
    /** All-stop: the other threads were let go to run to the target (over a call), and wait again after it. */
    boolean othersReleased;
    long instructions;
    /**
     * A step into passing a PLT stub whose function is known only when the thread gets there (an ifunc, bound to
     * this CPU's implementation; a first call, bound lazily): the call's return address, where the step goes if
     * that function has no line information; 0 when not passing one. {@link #stubReturnSp}: the sp after the return.
     */
    long stubReturn;
    long stubReturnSp;

    StepPlan(StepKind kind, SourcePosition startLine, long startPc, long startSp, long frameCfa) {
        this(kind, startLine, startPc, startSp, frameCfa, null);
    }

    StepPlan(StepKind kind, SourcePosition startLine, long startPc, long startSp, long frameCfa, String selection) {
        this.kind = kind;
        this.selection = selection;
        this.startLine = startLine;
        this.startPc = startPc;
        this.prevPc = startPc;
        this.prevSp = startSp;
        this.frameCfa = frameCfa;
    }

    /**
     * The frame returned into the middle of its caller's line: as gdb's step does, the step goes on from
     * there to the start of a line, now in the caller ({@code callerCfa}: 0 if unknown).
     */
    void returnedTo(SourcePosition callerLine, long pc, long callerCfa) {
        startLine = callerLine;
        startPc = pc;
        frameCfa = callerCfa;
    }

    boolean runningToTarget() {
        return target != 0 || lineTargets != null;
    }

    /** Whether {@code address} is one of the line's breakpoints a step into selection runs to. */
    boolean isLineTarget(long address) {
        if (lineTargets != null) {
            for (long a : lineTargets) {
                if (a == address) {
                    return true;
                }
            }
        }
        return false;
    }
}
