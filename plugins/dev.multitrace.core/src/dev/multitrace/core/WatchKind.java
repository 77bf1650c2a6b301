package dev.multitrace.core;

/**
 * What a hardware watchpoint (an x86-64 debug register) fires on.
 * <p>
 * x86 has no read-only condition: a watch on reads is {@link #READ_WRITE}, which also fires on
 * writes. {@link #EXECUTE} is a hardware breakpoint: it fires before the instruction at the
 * address runs, without changing a byte of memory, and must have length 1.
 */
public enum WatchKind {
    /** Fires before the instruction at the address executes (length 1). */
    EXECUTE,
    /** Fires after an instruction wrote any byte of the watched range. */
    WRITE,
    /** Fires after an instruction read or wrote any byte of the watched range (x86 cannot watch reads alone). */
    READ_WRITE
}
