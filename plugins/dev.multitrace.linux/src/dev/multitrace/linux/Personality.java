package dev.multitrace.linux;

/**
 * The execution domain ({@code personality(2)}) of the calling thread, for starting programs
 * without address space randomization as gdb and gdbserver do.
 *
 * <p><b>Why the caller's own thread can carry it:</b> the kernel keeps the persona in the task
 * ({@code task_struct.personality}), so setting it affects the calling thread only, never the
 * JVM's other threads; a child made by {@code clone}/{@code posix_spawn} from that thread copies
 * it and keeps it across {@code execve}. {@link #ADDR_NO_RANDOMIZE} is read only at {@code execve}
 * (it decides the new image's stack, mmap base, brk and vDSO placement), so while the flag is set
 * on a thread that never execs, the running JVM is unaffected. gdb does the same
 * ({@code maybe_disable_address_space_randomization}: set in the debugger, fork, restore).
 * {@link #noRandomization()} sets it for a scope and restores the previous persona on close.
 */
public final class Personality {

    /** {@code ADDR_NO_RANDOMIZE} of {@code <sys/personality.h>}: /proc/PID/personality shows 00040000. */
    public static final int ADDR_NO_RANDOMIZE = 0x0040000;

    private static final long QUERY = 0xffffffffL;

    private Personality() {
    }

    /** The calling thread's persona. */
    public static int current() {
        int p = LibC.personality(QUERY);
        if (p == -1) {
            throw LinuxException.of(LibC.errno(), "personality");
        }
        return p;
    }

    /** A scope during which the calling thread (and so every child it starts) has ADDR_NO_RANDOMIZE. */
    public static Scope noRandomization() {
        int old = current();
        if ((old & ADDR_NO_RANDOMIZE) == 0 && LibC.personality(old | ADDR_NO_RANDOMIZE) == -1) {
            throw LinuxException.of(LibC.errno(), "personality(ADDR_NO_RANDOMIZE)");
        }
        return new Scope(old);
    }

    /** Restores the persona the thread had; close it on the thread that opened it. */
    public static final class Scope implements AutoCloseable {
        private final int previous;

        private Scope(int previous) {
            this.previous = previous;
        }

        @Override
        public void close() {
            if ((previous & ADDR_NO_RANDOMIZE) == 0) {
                LibC.personality(previous);
            }
        }
    }
}
