package dev.multitrace.symbols.values;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Floating-point numbers as gdb prints them: C's {@code %g} with enough digits to read the value back
 * (9 for float, 17 for double), so {@code 3.14f} is {@code 3.1400001} and {@code 1.0/3} is
 * {@code 0.33333333333333331}; infinities {@code inf}, NaNs {@code nan(0xMANTISSA)}. Java's own {@code %g}
 * differs from C's (it keeps trailing zeros and switches to exponents elsewhere), hence this.
 */
public final class FloatFormat {

    private FloatFormat() {
    }

    public static String ofFloat(float f) {
        if (Float.isNaN(f)) {
            int bits = Float.floatToRawIntBits(f);
            return (bits < 0 ? "-" : "") + "nan(0x" + Integer.toHexString(bits & 0x7fffff) + ")";
        }
        return g(f, 9);
    }

    public static String ofDouble(double d) {
        if (Double.isNaN(d)) {
            long bits = Double.doubleToRawLongBits(d);
            return (bits < 0 ? "-" : "") + "nan(0x" + Long.toHexString(bits & 0xfffffffffffffL) + ")";
        }
        return g(d, 17);
    }

    /** C's {@code %.Pg}: P significant digits, fixed or exponent form, trailing zeros removed. */
    static String g(double v, int precision) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = r.precision() - r.scale() - 1; // of the leading digit
        String out;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = r.movePointLeft(exponent);
            String m = strip(mantissa.setScale(precision - 1, RoundingMode.HALF_EVEN).abs().toPlainString());
            out = (v < 0 ? "-" : "") + m + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        } else {
            out = strip(r.setScale(Math.max(0, precision - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString());
        }
        return out;
    }

    private static String strip(String s) {
        if (s.indexOf('.') < 0) {
            return s;
        }
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        if (s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
