package dev.multitrace.linux;

import com.sun.jna.Memory;

/**
 * Per-thread native buffers for the syscalls that need one (iovecs, register sets,
 * siginfo, the PEEK word). The tracer thread makes these calls at every stop, so
 * allocating a fresh {@link Memory} (malloc + a Cleaner registration) each time would
 * be the dominant cost. Thread-local because the static API may also be used from other
 * threads (e.g. memory reads of a non-traced process).
 *
 * <p>Not reentrant: a method takes its buffers, makes its calls and copies the result
 * out before returning.
 */
final class Scratch {

    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    /** Largest bulk buffer kept between calls; larger transfers are chunked through it. */
    static final int MAX_BULK = 8 << 20;

    /** Two iovecs (local at 0, remote at 16) plus an 8-byte word at 32. */
    final Memory small = new Memory(64);
    /** Register sets, siginfo, syscall info; xstate needs several KiB with AVX-512/AMX. */
    final Memory buf = new Memory(32 << 10);
    private Memory bulk;
    private Downcalls.CallState callState;

    static Scratch get() {
        return LOCAL.get();
    }

    /** This thread's FFM call state (errno, waitpid status); only when {@link Downcalls#available()}. */
    Downcalls.CallState callState() {
        Downcalls.CallState s = callState;
        if (s == null) {
            s = callState = new Downcalls.CallState();
        }
        return s;
    }

    /** A native buffer of at least {@code min(n, MAX_BULK)} bytes. */
    Memory bulk(long n) {
        long want = Math.min(Math.max(n, 64 << 10), MAX_BULK);
        if (bulk == null || bulk.size() < want) {
            if (bulk != null) {
                bulk.close();
            }
            bulk = new Memory(want);
        }
        return bulk;
    }
}
