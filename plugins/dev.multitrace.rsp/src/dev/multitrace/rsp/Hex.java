package dev.multitrace.rsp;

import java.nio.charset.StandardCharsets;

/** Hex digits of the remote protocol: lower case, two per byte, little-endian register values. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** The value of a hex digit, or -1. */
    static int digit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static String encode(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder(len * 2);
        for (int i = off; i < off + len; i++) {
            s.append(DIGITS[(b[i] >> 4) & 0xf]).append(DIGITS[b[i] & 0xf]);
        }
        return s.toString();
    }

    static String encode(byte[] b) {
        return encode(b, 0, b.length);
    }

    static String encode(String text) {
        return encode(text.getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException on an odd length or a non-hex character */
    static byte[] decode(String s) {
        if ((s.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = digit(s.charAt(2 * i));
            int lo = digit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not a hex digit in '" + s + "'");
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }

    static String decodeText(String s) {
        return new String(decode(s), StandardCharsets.UTF_8);
    }

    /** A hex number as gdb writes addresses and lengths (at most 16 digits). */
    static long parse(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new IllegalArgumentException("bad hex number '" + s + "'");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            int d = digit(s.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("bad hex number '" + s + "'");
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** A register value in target (little-endian) byte order, {@code size} bytes. */
    static String littleEndian(long value, int size) {
        StringBuilder s = new StringBuilder(size * 2);
        for (int i = 0; i < size; i++) {
            int b = (int) (value >>> (8 * i)) & 0xff;
            s.append(DIGITS[b >> 4]).append(DIGITS[b & 0xf]);
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

    static String hex(long v) {
        return Long.toHexString(v);
    }
}
