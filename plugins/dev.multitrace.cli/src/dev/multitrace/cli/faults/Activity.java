package dev.multitrace.cli.faults;

/** What the engines do to the program while the fault comes. */
public enum Activity {
    /** An engine on every thread with a breakpoint in the loop: step-overs in flight. */
    BREAKPOINTS,
    /**
     * An engine on every thread with a write watch on the loop's counter: by the debug registers
     * where they trap, else by the service's software watch (every thread single-stepped).
     */
    WATCHPOINTS,
    /** An engine single-stepping the main thread, step after step. */
    STEPS,
    /** An engine on every thread reporting every syscall entry and exit. */
    SYSCALLS,
    /** An engine on every thread that STOPs them all and resumes them, again and again. */
    STOP_ALL,
    /** The program was started untraced and the service attached to it while it ran. */
    ATTACH,
    /** The service detached from the program (it runs on untraced) before the fault. */
    DETACH
}
