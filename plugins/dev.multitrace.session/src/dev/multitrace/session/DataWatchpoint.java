package dev.multitrace.session;

import dev.multitrace.core.WatchKind;

/**
 * A user watchpoint as the session inserts it through the service's watchpoints: the bytes of a variable or
 * an lvalue expression ({@code chain[1].count}), and what access stops. Made by
 * {@link FrameVariables#watchpoint}, which finds the address and size of the expression in a frame.
 *
 * @param label   what the Debug view says: the expression
 * @param address where the watched bytes are
 * @param length  how many (the expression's type's size)
 * @param kind    {@link WatchKind#WRITE} (gdb's {@code watch}) or {@link WatchKind#READ_WRITE} ({@code awatch})
 * @param owner   the Eclipse breakpoint it came from (opaque here), for suspend events
 */
public record DataWatchpoint(String label, long address, int length, WatchKind kind, Object owner) {

    public DataWatchpoint {
        if (kind == WatchKind.EXECUTE) {
            throw new IllegalArgumentException("a data watchpoint watches writes or accesses, not execution");
        }
        if (length <= 0) {
            throw new IllegalArgumentException("nothing to watch: " + length + " bytes");
        }
    }

    /** Whether the service's watchpoint {@code address}/{@code length}/{@code kind} is this one's. */
    boolean matches(long watchedAddress, int watchedLength, WatchKind watchedKind) {
        return watchedAddress == address && watchedLength == length && watchedKind == kind;
    }
}
