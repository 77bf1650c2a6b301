package dev.multitrace.rsp;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Hex digits of the remote protocol: lower case, two per byte, little-endian register values.
 * The digits themselves are the JDK's {@link HexFormat}; this adds the protocol's conventions.
 */
final class Hex {

    /** Lower case, no delimiter: as gdb and gdbserver write hex. */
    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {
    }

    /** The value of a hex digit, or -1. */
    static int digit(int c) {
        return HexFormat.isHexDigit(c) ? HexFormat.fromHexDigit(c) : -1;
    }

    static String encode(byte[] b, int off, int len) {
        return LOWER.formatHex(b, off, off + len);
    }

    static String encode(byte[] b) {
        return LOWER.formatHex(b);
    }

    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException on an odd length or a non-hex character */
    static byte[] decode(String s) {
        return LOWER.parseHex(s);
    }

    static String decodeText(String s) {
        return new String(decode(s), StandardCharsets.UTF_8);
    }

    /** A hex number as gdb writes addresses and lengths (at most 16 digits). */
    static long parse(String s) {
        // fromHexDigitsToLong takes "" for 0; gdb never sends an empty number, so it is an error here.
        if (s.isEmpty() || s.length() > 16) {
            throw new IllegalArgumentException("bad hex number '" + s + "'");
        }
        try {
            return HexFormat.fromHexDigitsToLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad hex number '" + s + "'", e);
        }
    }

    /** A register value in target (little-endian) byte order, {@code size} bytes. */
    static String littleEndian(long value, int size) {
        StringBuilder s = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            LOWER.toHexDigits(s, (byte) (value >>> (8 * i)));
        }
        return s.toString();
    }

    static long fromLittleEndian(byte[] b, int off, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }
}
