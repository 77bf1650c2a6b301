package dev.multitrace.symbols.unwind;

/** How a frame's registers were found. */
public enum UnwindMethod {
    /** The innermost frame: the thread's own registers. */
    CONTEXT,
    /** From the callee's call frame information ({@code .eh_frame} or {@code .debug_frame}). */
    CFI,
    /** From the callee's saved frame pointer ({@code [rbp]} = caller's rbp, {@code [rbp+8]} = return address): no CFI covered the callee. */
    FRAME_POINTER,
    /** Restored from the ucontext a signal frame saved, found by recognizing the sigreturn trampoline's code (no CFI covered it). */
    SIGRETURN
}
