package dev.multitrace.core;

/**
 * An engine's callbacks. Every callback runs on the service's tracer thread while the task is
 * quiescent, and must not block: an engine that has to wait (for a user, a socket) returns
 * {@link ResumeAction#STOP} and later calls {@link Engine#control}. A callback that throws is
 * reported to the service's error handler and counts as {@link ResumeAction#RESUME}.
 * <p>
 * Only events in the engine's mask are reported. The defaults resume (and keep a hold the engine
 * already has, at QUIESCE).
 */
public interface EngineOps {

    /**
     * The task is quiescent. Called first at every stop for engines that asked for QUIESCE, and at
     * the stop an engine asked for with STOP or REPORT.
     *
     * @param event the event about to be reported at this stop, or {@link Event#QUIESCE} when the
     *              stop exists only because an engine asked for it
     */
    default ResumeAction quiesce(Engine engine, Task task, Event event) {
        return engine.holdsStop() ? ResumeAction.STOP : ResumeAction.RESUME;
    }

    /** A new thread (or, with fork following on, a new process) was created and is already traced. */
    default ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        return ResumeAction.RESUME;
    }

    /**
     * The task made a new process (fork, vfork, or a clone of a process) while fork following is
     * off: the child ({@code childPid}) is not the engine's, the service lets it go at its first
     * stop, a fork child's copies of the int3 bytes taken out of it first (a vfork child's memory
     * is the parent's: left as it is). Reported, like {@link #clone}, to engines that ask for
     * {@link Event#CLONE}; the task is in its fork event stop, the child's pid its return value.
     */
    default ResumeAction forkLetGo(Engine engine, Task parent, int childPid, CloneKind kind) {
        return ResumeAction.RESUME;
    }

    /**
     * The task's vfork is over: its child ({@code childPid}) exec'd or exited and the task runs
     * again, its memory its own again (breakpoints kept out of the shared memory can go back).
     */
    default ResumeAction vforkDone(Engine engine, Task task, int childPid) {
        return ResumeAction.RESUME;
    }

    /** The task completed an exec; the old image's breakpoints are gone, engines stay. */
    default ResumeAction exec(Engine engine, Task task, int formerTid) {
        return ResumeAction.RESUME;
    }

    /** The task is exiting and can still be examined. {@code status} is the raw wait status it will have. */
    default ResumeAction exit(Engine engine, Task task, int status) {
        return ResumeAction.RESUME;
    }

    /** The task's exit status was collected. Returning DETACH here means no REAP follows. */
    default ResumeAction death(Engine engine, Task task, ExitStatus status) {
        return ResumeAction.RESUME;
    }

    /** The task is gone for good: the engine's last callback. */
    default void reap(Engine engine, Task task) {
    }

    /** Syscall entry; engines are called newest first. {@link SyscallReport#abort} skips the call. */
    default ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        return ResumeAction.RESUME;
    }

    /** Syscall exit; the return value may be changed. */
    default ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
        return ResumeAction.RESUME;
    }

    /**
     * A signal is about to be delivered, or ({@link SignalAction#REPORT}) the task stopped for an
     * INTERRUPT and any signal may be injected through the report.
     */
    default ResumeAction signal(Engine engine, Task task, SignalReport report) {
        return ResumeAction.RESUME;
    }

    /** Job control: the thread group stopped ({@code stopped}) or continued after SIGCONT. */
    default ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
        return ResumeAction.RESUME;
    }

    /** A step this engine asked for completed. */
    default ResumeAction step(Engine engine, Task task) {
        return ResumeAction.RESUME;
    }

    /** A breakpoint this engine planted was hit; the pc is at the breakpoint address. */
    default ResumeAction breakpoint(Engine engine, Task task, long address) {
        return ResumeAction.RESUME;
    }

    /**
     * A hardware watchpoint this engine's client inserted fired on this thread. Reported only to
     * engines whose ops own the slot; the tracee never sees the trap.
     * <ul>
     * <li>{@link WatchKind#EXECUTE}: reported <em>before</em> the instruction at
     * {@code wp.address()} runs; the pc is there. Resuming runs it (the kernel sets the resume
     * flag, so it does not fire again at once); it fires again the next time it is reached.</li>
     * <li>{@link WatchKind#WRITE}, {@link WatchKind#READ_WRITE}: reported <em>after</em> the
     * accessing instruction ran; the pc is the instruction after it.
     * {@link Examination#accessingInstruction()} gives the accessing instruction's address when
     * it is known exactly: the thread executed one instruction since its last stop (an engine's
     * single-step, or the service's own step off a breakpoint).</li>
     * </ul>
     *
     * @param dataAddress the watched address that fired: x86 tells which slot fired, not which
     *                    byte of it, so this is {@code wp.address()} (for EXECUTE, the
     *                    instruction's address)
     */
    default ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
        return ResumeAction.RESUME;
    }
}
