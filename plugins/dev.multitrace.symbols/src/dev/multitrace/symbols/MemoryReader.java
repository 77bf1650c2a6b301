package dev.multitrace.symbols;

import java.util.OptionalLong;

/**
 * Read access to a target's memory: a live process (through the tracer, or {@code /proc/PID/mem}, see
 * {@code unwind.ProcessMemory}), a core file ({@link CoreFile}), or a test buffer. The unwinder and the link-map
 * reader only ever read through this.
 *
 * <p>It lives here, not in {@code unwind}, because {@link CoreFile} and {@link LinkMap} read through it too:
 * {@code unwind} depends on this package, never the other way round (no package cycle).
 */
@FunctionalInterface
public interface MemoryReader {

    /**
     * Copies up to {@code length} bytes at {@code address} into {@code into[offset..]}. Returns how many bytes
     * were read from the start of the range: {@code length} if all, fewer (possibly 0) if the range runs into
     * memory that is not mapped or not readable. Never throws for unreadable addresses.
     */
    int read(long address, byte[] into, int offset, int length);

    /** The little-endian 64-bit word at {@code address}, or empty if any of its 8 bytes is unreadable. */
    default OptionalLong readLong(long address) {
        byte[] b = new byte[8];
        if (read(address, b, 0, 8) != 8) {
            return OptionalLong.empty();
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return OptionalLong.of(v);
    }

    /** Reads exactly {@code length} bytes, or returns null if some are unreadable. */
    default byte[] readFully(long address, int length) {
        byte[] b = new byte[length];
        return read(address, b, 0, length) == length ? b : null;
    }

    /** A NUL-terminated string of at most {@code max} bytes (UTF-8), or null if unreadable before its end. */
    default String readCString(long address, int max) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64];
        for (long at = address; out.size() < max; at += chunk.length) {
            int n = read(at, chunk, 0, chunk.length);
            for (int i = 0; i < n; i++) {
                if (chunk[i] == 0) {
                    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
                }
                out.write(chunk[i]);
            }
            if (n < chunk.length) {
                return null; // the string runs into unreadable memory
            }
        }
        return null;
    }
}
