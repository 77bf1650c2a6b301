package dev.multitrace.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An immutable copy of one address space's int3 sites and the bytes they hide, which
 * {@link BreakpointTable} publishes after every change. Readers of a stopped thread's memory
 * ({@link Examination#read}) hide our int3 bytes with it on their own thread: asking the tracer
 * thread cost a hand-off (two thread wake-ups) per read, and an unwind or a variable makes dozens.
 * <p>
 * Exact as before: memory is read, then the sites of a moment after the read are applied. A site
 * planted or removed by a request between the two is a race the hand-off had too (the read came
 * first there as well); the memory a view shows is the program's either way.
 */
final class HiddenBytes {

    static final HiddenBytes NONE = new HiddenBytes(new long[0], new byte[0]);

    /** Sorted. */
    private final long[] addresses;
    private final byte[] originals;

    HiddenBytes(long[] addresses, byte[] originals) {
        this.addresses = addresses;
        this.originals = originals;
    }

    /** The first site at or after {@code address}. */
    private int first(long address) {
        int i = Arrays.binarySearch(addresses, address);
        return i >= 0 ? i : -i - 1;
    }

    void hide(long address, byte[] buf, int off, int len) {
        for (int i = first(address); i < addresses.length && addresses[i] < address + len; i++) {
            buf[off + (int) (addresses[i] - address)] = originals[i];
        }
    }

    void hide(long address, ByteBuffer buf, int off, int len) {
        for (int i = first(address); i < addresses.length && addresses[i] < address + len; i++) {
            buf.put(off + (int) (addresses[i] - address), originals[i]);
        }
    }
}
