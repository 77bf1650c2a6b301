package dev.multitrace.dsf;

import org.eclipse.debug.core.model.MemoryByte;

/** Memory as the Memory view takes it, from a live process or a core. */
final class MemoryBytes {

    private MemoryBytes() {
    }

    /**
     * {@code length} bytes of which the first {@code readable} of {@code bytes} were read; the others (past a
     * mapping's end, or nowhere in a core) are flagged unreadable, not an error. x86-64 is little-endian.
     */
    static MemoryByte[] of(byte[] bytes, int readable, int length) {
        MemoryByte[] out = new MemoryByte[length];
        byte known = (byte) (MemoryByte.READABLE | MemoryByte.ENDIANESS_KNOWN);
        for (int i = 0; i < length; i++) {
            out[i] = i < readable ? new MemoryByte(bytes[i], known) : new MemoryByte((byte) 0, MemoryByte.ENDIANESS_KNOWN);
        }
        return out;
    }
}
