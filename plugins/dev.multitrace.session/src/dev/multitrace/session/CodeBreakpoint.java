package dev.multitrace.session;

import java.util.Set;

/**
 * A user breakpoint as the session plants it: where (run-time addresses) and when it stops.
 * The Eclipse breakpoint objects (line, function, address) are resolved into one of these per
 * session.
 * <p>
 * Hit counting follows gdb's ignore count: with {@code hitCount} N > 0 the first N-1 hits that
 * pass the condition and the thread filter are counted without stopping; the N-th and later
 * stop. The condition is checked on the thread that hit, while it is stopped.
 *
 * @param label     what the Debug view says: {@code loop.c:12}, {@code function compute}, {@code 0x401136}
 * @param addresses where it is planted
 * @param condition stops only when true (null: always); a C expression evaluated at the hit
 * @param hitCount  0: every hit stops; N: from the N-th hit on
 * @param threads   thread ids it stops (empty: every thread)
 * @param owner     the Eclipse breakpoint it came from (opaque here), for suspend events
 * @param enabled   asked at each hit: false lets the hit pass (null: always enabled). Disabling in
 *                  the IDE takes effect at once through it, before the change notification that
 *                  takes the breakpoint out arrives.
 */
public record CodeBreakpoint(String label, long[] addresses, BreakpointCondition condition, int hitCount, Set<Integer> threads,
        Object owner, java.util.function.BooleanSupplier enabled) {

    public CodeBreakpoint(String label, long[] addresses, BreakpointCondition condition, int hitCount, Set<Integer> threads,
            Object owner) {
        this(label, addresses, condition, hitCount, threads, owner, null);
    }

    public CodeBreakpoint {
        addresses = addresses.clone();
        threads = Set.copyOf(threads);
        if (hitCount < 0) {
            throw new IllegalArgumentException("hit count must be 0 or positive, not " + hitCount);
        }
    }

    public boolean appliesTo(int tid) {
        return threads.isEmpty() || threads.contains(tid);
    }

    @Override
    public long[] addresses() {
        return addresses.clone();
    }
}
