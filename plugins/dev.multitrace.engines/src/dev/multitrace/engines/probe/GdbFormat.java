package dev.multitrace.engines.probe;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.values.Value;

/**
 * The format string of gdb's {@code printf} and {@code dprintf}: a quoted C string with C's {@code %}
 * conversions, filled with values of the stopped program as gdb fills them (its {@code printf_command}):
 * integer conversions take the value as a C integer of the conversion's size, {@code %s} reads a string from
 * the program's memory, {@code %f} of an integer reinterprets its bytes as a float of the same size,
 * {@code %p} prints {@code 0x...} or {@code (nil)}.
 */
public final class GdbFormat {

    /** What a conversion takes (gdb's argclass). */
    enum ArgClass {
        INT, LONG, LONG_LONG, SHORT, CHAR_SIZED, PTR, STRING, DOUBLE, LONG_DOUBLE
    }

    /** Literal text (conversion null) or one conversion with its flags, width and precision. */
    record Piece(String literal, char conversion, String flags, int width, int precision, ArgClass argClass) {
    }

    private final List<Piece> pieces;

    private GdbFormat(List<Piece> pieces) {
        this.pieces = pieces;
    }

    /** How many values the format takes. */
    public int conversions() {
        return (int) pieces.stream().filter(p -> p.literal == null).count();
    }

    /** Parses {@code "..."} (with its quotes, as gdb's dprintf takes it); the message says what is wrong. */
    public static GdbFormat parse(String quoted) {
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            throw new ProbeException("Bad format string, missing '\"'");
        }
        String s = unescape(quoted.substring(1, quoted.length() - 1));
        List<Piece> pieces = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c != '%') {
                lit.append(c);
                continue;
            }
            if (i < s.length() && s.charAt(i) == '%') {
                lit.append('%');
                i++;
                continue;
            }
            int start = i;
            while (i < s.length() && "-+ #0'".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String flags = s.substring(start, i);
            int width = -1;
            int ws = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i > ws) {
                width = Integer.parseInt(s.substring(ws, i));
            }
            int precision = -1;
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                int ps = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                precision = i > ps ? Integer.parseInt(s.substring(ps, i)) : 0;
            }
            if (i < s.length() && s.charAt(i) == '*') {
                throw new ProbeException("`*' not supported for precision or width in printf");
            }
            String length = "";
            if (s.startsWith("hh", i) || s.startsWith("ll", i)) {
                length = s.substring(i, i + 2);
                i += 2;
            } else if (i < s.length() && "hlLzjt".indexOf(s.charAt(i)) >= 0) {
                length = s.substring(i, i + 1);
                i++;
            }
            if (i >= s.length()) {
                throw new ProbeException("Incomplete format specifier at end of format string");
            }
            char conv = s.charAt(i++);
            ArgClass argClass = classOf(conv, length);
            if (lit.length() > 0) {
                pieces.add(new Piece(lit.toString(), (char) 0, null, 0, 0, null));
                lit.setLength(0);
            }
            pieces.add(new Piece(null, conv, flags, width, precision, argClass));
        }
        if (lit.length() > 0) {
            pieces.add(new Piece(lit.toString(), (char) 0, null, 0, 0, null));
        }
        return new GdbFormat(pieces);
    }

    private static ArgClass classOf(char conv, String length) {
        switch (conv) {
            case 'd', 'i', 'u', 'o', 'x', 'X', 'c' -> {
                if (conv == 'c' && !length.isEmpty()) {
                    throw new ProbeException("Inappropriate modifiers to format specifier 'c' in printf");
                }
                return switch (length) {
                    case "" -> ArgClass.INT;
                    case "hh" -> ArgClass.CHAR_SIZED;
                    case "h" -> ArgClass.SHORT;
                    case "l", "z", "j", "t" -> ArgClass.LONG;
                    case "ll" -> ArgClass.LONG_LONG;
                    default -> throw new ProbeException("Inappropriate modifiers to format specifier '" + conv + "' in printf");
                };
            }
            case 'p' -> {
                return ArgClass.PTR;
            }
            case 's' -> {
                if (!length.isEmpty()) {
                    throw new ProbeException("Inappropriate modifiers to format specifier 's' in printf (wide strings are not supported)");
                }
                return ArgClass.STRING;
            }
            case 'f', 'F', 'e', 'E', 'g', 'G', 'a', 'A' -> {
                return length.equals("L") ? ArgClass.LONG_DOUBLE : ArgClass.DOUBLE;
            }
            case 'n' -> throw new ProbeException("Format specifier `n' not supported in printf");
            default -> throw new ProbeException("Unrecognized format specifier '" + conv + "' in printf");
        }
    }

    /** gdb's escapes in a format string: C's, without octal and hex. */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                if (c == '"') {
                    throw new ProbeException("Bad format string, non-terminated '\"'");
                }
                b.append(c);
                continue;
            }
            if (++i >= s.length()) {
                throw new ProbeException("Bad format string, non-terminated '\"'");
            }
            char e = s.charAt(i);
            b.append(switch (e) {
                case '\\' -> '\\';
                case 'a' -> (char) 7;
                case 'b' -> '\b';
                case 'e' -> (char) 27;
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'v' -> (char) 11;
                case '"' -> '"';
                case '\'' -> '\'';
                default -> throw new ProbeException("Unrecognized escape character \\" + e + " in format string.");
            });
        }
        return b.toString();
    }

    /**
     * The text for {@code values} (one per conversion, in order); {@code memory} gives {@code %s} its
     * string.
     *
     * @throws IllegalArgumentException in gdb's words when a value cannot be printed (optimized out, unreadable)
     */
    public String format(List<Value> values, MemoryReader memory) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (Piece p : pieces) {
            if (p.literal != null) {
                out.append(p.literal);
                continue;
            }
            Value v = values.get(next++);
            if (v.error() != null) {
                throw new IllegalArgumentException(v.error());
            }
            if (!v.available()) {
                throw new IllegalArgumentException("value has been optimized out");
            }
            out.append(switch (p.argClass) {
                case INT -> integer(p, (int) asLong(v), 32);
                case SHORT -> integer(p, (short) asLong(v), 16);
                case CHAR_SIZED -> integer(p, (byte) asLong(v), 8);
                case LONG, LONG_LONG -> integer(p, asLong(v), 64);
                case PTR -> pointer(p, asLong(v));
                case STRING -> pad(p, precision(p, string(v, memory)));
                case DOUBLE, LONG_DOUBLE -> floating(p, asDouble(v));
            });
        }
        return out.toString();
    }

    /** gdb's value_as_long: integers, enums, pointers; floats truncated; an array is its address. */
    private static long asLong(Value v) {
        if (v.type().isFloat()) {
            return (long) v.asDouble();
        }
        if (v.type().isArray() || v.type().strip().kind() == dev.multitrace.symbols.types.CType.Kind.FUNCTION) {
            if (v.address() < 0) {
                throw new IllegalArgumentException("Attempt to take address of value not located in memory.");
            }
            return v.address();
        }
        if (v.type().isStructLike()) {
            throw new IllegalArgumentException("Value can't be converted to integer.");
        }
        return v.asLong();
    }

    /** A float of the value's size: an integer's bytes are reinterpreted (gdb's float_type_from_length). */
    private static double asDouble(Value v) {
        int n = v.bytes().length;
        return v.type().isFloat() || n == 4 || n == 8 || n == 10 || n == 16 ? v.asDouble() : (double) v.asLong();
    }

    /** {@code %s}: a char array's bytes up to its NUL, or the NUL-terminated string a pointer points to. */
    private static String string(Value v, MemoryReader memory) {
        if (v.type().isArray() && v.address() < 0) {
            byte[] b = v.bytes();
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        long address = asLong(v);
        if (address == 0) {
            return "(null)";
        }
        java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        for (long at = address; s.size() < MAX_STRING; at += chunk.length) {
            int n = memory.read(at, chunk, 0, chunk.length);
            for (int i = 0; i < n; i++) {
                if (chunk[i] == 0) {
                    return s.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
                }
                s.write(chunk[i]);
            }
            if (n < chunk.length) {
                throw new IllegalArgumentException("Cannot access memory at address 0x" + Long.toHexString(at + n));
            }
        }
        return s.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** A bound on {@code %s}: a string without a NUL in sight is cut here. */
    private static final int MAX_STRING = 1 << 16;

    private static String precision(Piece p, String s) {
        return p.precision >= 0 && s.length() > p.precision ? s.substring(0, p.precision) : s;
    }

    /** C's integer conversions of a value of {@code bits} bits. */
    private static String integer(Piece p, long value, int bits) {
        char c = p.conversion;
        if (c == 'c') {
            return pad(p, String.valueOf((char) (value & 0xff)));
        }
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        String digits;
        String sign = "";
        String prefix = "";
        switch (c) {
            case 'd', 'i' -> {
                if (value < 0) {
                    sign = "-";
                    digits = value == Long.MIN_VALUE ? "9223372036854775808" : Long.toString(-value);
                } else {
                    sign = p.flags.contains("+") ? "+" : p.flags.contains(" ") ? " " : "";
                    digits = Long.toString(value);
                }
            }
            case 'u' -> digits = Long.toUnsignedString(value & mask);
            case 'o' -> {
                digits = Long.toOctalString(value & mask);
                if (p.flags.contains("#") && !digits.startsWith("0")) {
                    digits = "0" + digits;
                }
            }
            default -> {
                digits = Long.toHexString(value & mask);
                if (c == 'X') {
                    digits = digits.toUpperCase(java.util.Locale.ROOT);
                }
                if (p.flags.contains("#") && (value & mask) != 0) {
                    prefix = c == 'X' ? "0X" : "0x";
                }
            }
        }
        if (p.precision >= 0) {
            if (p.precision == 0 && digits.equals("0")) {
                digits = "";
            }
            while (digits.length() < p.precision) {
                digits = "0" + digits;
            }
        }
        return padNumber(p, sign + prefix, digits, p.precision < 0);
    }

    private static String pointer(Piece p, long address) {
        if (address == 0) {
            return pad(p, "(nil)");
        }
        return padNumber(p, "0x", Long.toHexString(address), true);
    }

    /** C's floating conversions; {@code %g} drops trailing zeros unless {@code #}. */
    private static String floating(Piece p, double d) {
        char c = p.conversion;
        boolean upper = Character.isUpperCase(c);
        String sign = d < 0 || d == 0 && 1 / d < 0 ? "-" : p.flags.contains("+") ? "+" : p.flags.contains(" ") ? " " : "";
        double a = Math.abs(d);
        String body;
        if (Double.isNaN(d)) {
            body = "nan";
            sign = sign.equals("-") ? "" : sign;
        } else if (Double.isInfinite(d)) {
            body = "inf";
        } else {
            int prec = p.precision < 0 ? 6 : p.precision;
            boolean alt = p.flags.contains("#");
            body = switch (Character.toLowerCase(c)) {
                case 'f' -> fixed(a, prec, alt);
                case 'e' -> exponent(a, prec, alt);
                case 'a' -> hexFloat(a, p.precision);
                default -> general(a, prec == 0 ? 1 : prec, alt);
            };
        }
        if (upper) {
            body = body.toUpperCase(java.util.Locale.ROOT);
        }
        boolean zeroPad = !Double.isNaN(d) && !Double.isInfinite(d);
        return padNumber(p, sign, body, zeroPad);
    }

    private static String fixed(double a, int prec, boolean alt) {
        String s = new BigDecimal(a).setScale(prec, java.math.RoundingMode.HALF_EVEN).toPlainString();
        return alt && prec == 0 ? s + "." : s;
    }

    private static String exponent(double a, int prec, boolean alt) {
        if (a == 0) {
            return fixed(0, prec, alt) + "e+00";
        }
        BigDecimal bd = new BigDecimal(a).round(new java.math.MathContext(prec + 1, java.math.RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        String digits = bd.unscaledValue().abs().toString();
        while (digits.length() < prec + 1) {
            digits += "0";
        }
        String mant = digits.substring(0, 1) + (prec > 0 || alt ? "." : "") + digits.substring(1, prec + 1);
        return mant + (exp < 0 ? "e-" : "e+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    private static String general(double a, int prec, boolean alt) {
        int exp;
        if (a == 0) {
            exp = 0;
        } else {
            BigDecimal bd = new BigDecimal(a).round(new java.math.MathContext(prec, java.math.RoundingMode.HALF_EVEN));
            exp = bd.precision() - bd.scale() - 1;
        }
        String s = prec > exp && exp >= -4 ? fixed(a, prec - 1 - exp, alt) : exponent(a, prec - 1, alt);
        if (!alt) {
            int e = s.indexOf('e');
            String mant = e < 0 ? s : s.substring(0, e);
            String rest = e < 0 ? "" : s.substring(e);
            if (mant.contains(".")) {
                mant = mant.replaceAll("0+$", "");
                if (mant.endsWith(".")) {
                    mant = mant.substring(0, mant.length() - 1);
                }
            }
            s = mant + rest;
        }
        return s;
    }

    private static String hexFloat(double a, int precision) {
        String s = Double.toHexString(a); // 0x1.8p1
        s = s.replace("0x1.0p", "0x1p").replace("0x0.0p0", "0x0p+0");
        int p = s.indexOf('p');
        if (p > 0 && s.charAt(p + 1) != '-' && s.charAt(p + 1) != '+') {
            s = s.substring(0, p + 1) + "+" + s.substring(p + 1);
        }
        return s;
    }

    /** Width padding of a number: spaces left (or right with {@code -}), or zeros after the sign with {@code 0}. */
    private static String padNumber(Piece p, String signAndPrefix, String digits, boolean zeroAllowed) {
        int len = signAndPrefix.length() + digits.length();
        if (p.width <= len) {
            return signAndPrefix + digits;
        }
        String fill = " ".repeat(p.width - len);
        if (p.flags.contains("-")) {
            return signAndPrefix + digits + fill;
        }
        if (p.flags.contains("0") && zeroAllowed) {
            return signAndPrefix + "0".repeat(p.width - len) + digits;
        }
        return fill + signAndPrefix + digits;
    }

    private static String pad(Piece p, String s) {
        if (p.width <= s.length()) {
            return s;
        }
        String fill = " ".repeat(p.width - s.length());
        return p.flags.contains("-") ? s + fill : fill + s;
    }
}
