package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.debug.service.IFormattedValues;

/** The number formats of registers and expressions (64-bit integers): showing and parsing them. */
final class Formats {

    static final String[] AVAILABLE = { IFormattedValues.NATURAL_FORMAT, IFormattedValues.HEX_FORMAT,
            IFormattedValues.DECIMAL_FORMAT, IFormattedValues.OCTAL_FORMAT, IFormattedValues.BINARY_FORMAT };

    private Formats() {
    }

    /** {@code value} in format {@code id}; natural is hexadecimal when {@code naturalHex} (addresses), else decimal. */
    static String format(long value, String id, boolean naturalHex) {
        String f = IFormattedValues.NATURAL_FORMAT.equals(id)
                ? (naturalHex ? IFormattedValues.HEX_FORMAT : IFormattedValues.DECIMAL_FORMAT)
                : id;
        return switch (f) {
            case IFormattedValues.HEX_FORMAT -> "0x" + Long.toHexString(value);
            case IFormattedValues.OCTAL_FORMAT -> "0" + Long.toOctalString(value);
            case IFormattedValues.BINARY_FORMAT -> Long.toBinaryString(value);
            default -> Long.toString(value);
        };
    }

    /**
     * Parses what a user typed in format {@code id}: a {@code 0x} prefix always means hexadecimal; natural and
     * decimal take a sign. {@link NumberFormatException} when it is not a number.
     */
    static long parse(String text, String id) {
        String t = text.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseUnsignedLong(t.substring(2), 16);
        }
        return switch (id == null ? IFormattedValues.NATURAL_FORMAT : id) {
            case IFormattedValues.HEX_FORMAT -> Long.parseUnsignedLong(t, 16);
            case IFormattedValues.OCTAL_FORMAT -> Long.parseUnsignedLong(t, 8);
            case IFormattedValues.BINARY_FORMAT -> Long.parseUnsignedLong(t, 2);
            default -> t.startsWith("-") ? Long.parseLong(t) : Long.parseUnsignedLong(t);
        };
    }
}
