package dev.multitrace.core;

/**
 * How a {@link Watchpoint} is kept. {@link Engine#insertWatchpoint(long, int, WatchKind)} picks
 * the hardware when this machine's debug registers trap ({@link Tracing#debugRegisters()}) and a
 * slot is free, and software otherwise.
 */
public enum WatchMethod {
    /** One of the four x86-64 debug registers, in every thread of the process. */
    HARDWARE,
    /**
     * Kept by the service without the debug registers. A WRITE watch single-steps every thread of
     * the process while it exists and compares the watched bytes after each instruction (and at
     * each syscall exit): it fires when the value <em>changes</em>, names the instruction that
     * changed it, and sees writes the kernel makes for the process ({@code read(2)} into the
     * bytes), reported after the syscall instruction. A store of the same value is not seen, and
     * a READ_WRITE watch cannot be kept this way (refused). An EXECUTE watch is an ordinary
     * breakpoint (int3) owned by the service, reported as the same WATCHPOINT. The price: every
     * thread of the process runs one instruction per stop while a software write watch exists
     * (docs/performance.md has the numbers).
     * <p>
     * Limits: in a multi-threaded process a change one thread makes while another steps is
     * reported on the thread whose stop sees it first (the count stays exact; the accessing
     * instruction is the writer's only when the writer's own stop sees it). A thread that blocks
     * SIGTRAP runs to its next syscall instead of being stepped (see Watches.softWatchStep), so a
     * change there is seen at that syscall.
     */
    SOFTWARE
}
