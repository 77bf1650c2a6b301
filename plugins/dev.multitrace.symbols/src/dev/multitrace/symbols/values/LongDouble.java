package dev.multitrace.symbols.values;

/** The x87 80-bit extended format of C's {@code long double} on x86-64 (16 bytes, 10 used). */
final class LongDouble {

    private LongDouble() {
    }

    /** The nearest double (gdb prints long doubles with more digits; this is close, not exact). */
    static double toDouble(byte[] b) {
        if (b.length < 10) {
            return Double.NaN;
        }
        long mantissa = 0;
        for (int i = 7; i >= 0; i--) {
            mantissa = mantissa << 8 | (b[i] & 0xff);
        }
        int se = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        boolean negative = (se & 0x8000) != 0;
        int exp = se & 0x7fff;
        double v;
        if (exp == 0x7fff) {
            v = (mantissa << 1) == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
        } else {
            // mantissa has an explicit integer bit at 63: value = mantissa * 2^(exp - 16383 - 63)
            v = Math.scalb((double) (mantissa >>> 11), exp - 16383 - 52);
        }
        return negative ? -v : v;
    }
}
