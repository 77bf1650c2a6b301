package dev.multitrace.symbols.values;

import java.util.Optional;
import java.util.function.LongFunction;

import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeNames;
import dev.multitrace.symbols.MemoryReader;

/**
 * Prints values exactly as gdb does by default: structs {@code {a = 1, b = 0x601040 <buf>}}, arrays
 * {@code {1, 2, 3}} with runs of more than {@link #REPEAT_THRESHOLD} equal elements as
 * {@code 0 <repeats 16 times>} and at most {@link #PRINT_MAX} elements, char arrays as strings, chars as
 * {@code 65 'A'}, pointers with the symbol they point into and char pointers with their string, enums by
 * name, {@code _Bool} as true/false, floats through {@link FloatFormat}. {@code /x} prints every scalar in
 * hex (floats as their bits, as gdb 13 does). The top level of {@code print} adds the pointer's type
 * ({@code (int *) 0x...}); {@code info locals} does not.
 */
public final class ValueFormat {

    /** gdb's {@code set print repeats}: runs longer than this collapse. */
    public static final int REPEAT_THRESHOLD = 10;
    /** gdb's {@code set print elements}. */
    public static final int PRINT_MAX = 200;

    private final MemoryReader memory;
    private final LongFunction<Optional<String>> symbols;
    /** gdb's output format letter (x o t d u c a z), or 0 for the natural format. */
    private final char format;

    /**
     * @param memory  reads the strings char pointers point to (null: none read)
     * @param symbols names the symbol an address falls in ({@code buf+3}), or empty
     * @param hex     the {@code /x} format
     */
    public ValueFormat(MemoryReader memory, LongFunction<Optional<String>> symbols, boolean hex) {
        this(memory, symbols, hex ? 'x' : 0);
    }

    /**
     * @param format one of gdb's print formats: {@code x} hex, {@code o} octal, {@code t} binary, {@code d}
     *               signed and {@code u} unsigned decimal, {@code c} character, {@code a} address,
     *               {@code z} zero-padded hex; 0 for the natural format
     */
    public ValueFormat(MemoryReader memory, LongFunction<Optional<String>> symbols, char format) {
        if (format != 0 && "xotducaz".indexOf(format) < 0) {
            throw new IllegalArgumentException("Undefined output format \"" + format + "\".");
        }
        this.memory = memory;
        this.symbols = symbols == null ? a -> Optional.empty() : symbols;
        this.format = format;
    }

    /** Without memory or symbols (strings behind pointers are not read). */
    static String print(Value v) {
        return new ValueFormat(null, null, false).format(v);
    }

    /** As {@code print}: the top-level value, with a pointer's type in front. */
    public String top(Value v) {
        CType t = v.type();
        CType s = t.strip();
        if (format == 0 && v.available() && s.kind() == CType.Kind.POINTER && !isPlainCharPointer(t)) {
            return "(" + TypeNames.name(t) + ") " + format(v);
        }
        return format(v);
    }

    /** gdb leaves the type off {@code char *} (not off a typedef of it, nor {@code unsigned char *}). */
    private static boolean isPlainCharPointer(CType t) {
        if (t.kind() == CType.Kind.TYPEDEF) {
            return false;
        }
        CType target = t.strip().target();
        while (target.isAlias() && target.kind() != CType.Kind.TYPEDEF) {
            target = target.target();
        }
        return target.kind() == CType.Kind.BASE && target.name().orElse("").equals("char");
    }

    /** As in {@code info locals} and inside aggregates. */
    public String format(Value v) {
        StringBuilder b = new StringBuilder();
        append(b, v, 0);
        return b.toString();
    }

    private void append(StringBuilder b, Value v, int depth) {
        if (v.error() != null) {
            b.append("<error: ").append(v.error()).append('>');
            return;
        }
        if (!v.available()) {
            b.append("<optimized out>");
            return;
        }
        if (depth > 64) {
            b.append("...");
            return;
        }
        CType t = v.type().strip();
        if (format != 0 && (t.kind() == CType.Kind.BASE || t.kind() == CType.Kind.ENUM || t.kind() == CType.Kind.POINTER
                || t.kind() == CType.Kind.REFERENCE)) {
            formatted(b, v);
            return;
        }
        switch (t.kind()) {
            case STRUCT, UNION, CLASS -> struct(b, v, t, depth);
            case ARRAY -> array(b, v, t, depth);
            case POINTER, REFERENCE -> pointer(b, v, t);
            case FUNCTION -> {
                b.append('{').append(TypeNames.name(v.type())).append("} ");
                address(b, v.address(), true);
            }
            case ENUM -> enumeration(b, v, t);
            case BASE -> scalar(b, v, t);
            case VOID -> b.append("void");
            default -> b.append("<unprintable>");
        }
    }

    private void struct(StringBuilder b, Value v, CType t, int depth) {
        if (t.members().isEmpty()) {
            b.append(t.incomplete() ? "<incomplete type>" : "{<No data fields>}");
            return;
        }
        b.append('{');
        boolean first = true;
        for (CType.Member m : t.members()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            if (m.name() != null) {
                b.append(m.name()).append(" = ");
            }
            append(b, member(v, m), depth + 1);
        }
        b.append('}');
    }

    /** A member's value; a bit field's bits extracted (and sign-extended) into its type's size. */
    public static Value member(Value v, CType.Member m) {
        if (!m.isBitField()) {
            return v.part(m.type(), m.offset(), m.type().size());
        }
        if (!v.available()) {
            return Value.optimizedOut(m.type());
        }
        byte[] bytes = v.bytes();
        long bits = 0;
        for (int i = 0; i < m.bitSize(); i++) {
            long at = m.bitOffset() + i;
            int byteIndex = (int) (at / 8);
            if (byteIndex >= 0 && byteIndex < bytes.length && (bytes[byteIndex] >> (at % 8) & 1) != 0) {
                bits |= 1L << i;
            }
        }
        if (m.type().isSigned() && m.bitSize() < 64 && (bits >> (m.bitSize() - 1) & 1) != 0) {
            bits |= -1L << m.bitSize();
        }
        return Value.ofLong(m.type(), bits);
    }

    private void array(StringBuilder b, Value v, CType t, int depth) {
        CType element = t.target();
        if (t.count() < 0) {
            // a flexible array member (or one of unknown bound): gdb shows where it is, and a char one's string
            address(b, v.address(), true);
            if (element.isChar() && format == 0 && memory != null && v.address() > 0) {
                b.append(' ');
                pointedString(b, v.address());
            }
            return;
        }
        long count = t.count() < 0 ? 0 : t.count();
        long size = element.size();
        if (element.isChar() && format == 0) {
            byte[] s = v.bytes();
            int length = (int) Math.min(count, s.length);
            if (length > 0 && s[length - 1] == 0) {
                length--; // the terminating NUL is not printed
            }
            CharFormat.string(b, s, length, PRINT_MAX, false);
            return;
        }
        b.append('{');
        long printed = 0;
        long i = 0;
        while (i < count && printed < PRINT_MAX) {
            Value e = v.part(element, i * size, size);
            long reps = 1;
            while (i + reps < count && sameBytes(v, i * size, (i + reps) * size, size)) {
                reps++;
            }
            if (i > 0) {
                b.append(", ");
            }
            if (reps > REPEAT_THRESHOLD) {
                append(b, e, depth + 1);
                b.append(" <repeats ").append(reps).append(" times>");
                i += reps;
                printed += REPEAT_THRESHOLD;
            } else {
                append(b, e, depth + 1);
                i++;
                printed++;
            }
        }
        if (i < count) {
            b.append("...");
        }
        b.append('}');
    }

    private static boolean sameBytes(Value v, long a, long c, long size) {
        byte[] bytes = v.bytes();
        if (bytes == null || c + size > bytes.length) {
            return false;
        }
        for (int k = 0; k < size; k++) {
            if (bytes[(int) (a + k)] != bytes[(int) (c + k)]) {
                return false;
            }
        }
        return true;
    }

    private void pointer(StringBuilder b, Value v, CType t) {
        long p = v.raw();
        CType target = t.target().strip();
        boolean function = target.kind() == CType.Kind.FUNCTION;
        address(b, p, true);
        if (!function && target.isChar() && p != 0 && memory != null) {
            b.append(' ');
            pointedString(b, p);
        }
    }

    /** {@code 0x... <sym+off>}: the address and, if a symbol covers it, its name. */
    private void address(StringBuilder b, long p, boolean symbol) {
        b.append("0x").append(Long.toHexString(p));
        if (symbol && p != 0) {
            symbols.apply(p).ifPresent(s -> b.append(" <").append(s).append('>'));
        }
    }

    /** The string a char pointer points to: up to PRINT_MAX bytes before a NUL, then {@code ...}. */
    private void pointedString(StringBuilder b, long p) {
        // one byte past the limit: a string of exactly PRINT_MAX characters ends there, and gets no "..." (gdb peeks too)
        byte[] buf = new byte[PRINT_MAX + 1];
        int n = memory.read(p, buf, 0, PRINT_MAX + 1);
        if (n == 0) {
            b.append("<error: Cannot access memory at address 0x").append(Long.toHexString(p)).append('>');
            return;
        }
        int length = 0;
        while (length < n && length < PRINT_MAX && buf[length] != 0) {
            length++;
        }
        boolean more = length == PRINT_MAX && !(n > PRINT_MAX && buf[PRINT_MAX] == 0);
        CharFormat.string(b, buf, length, PRINT_MAX, more);
    }

    private void enumeration(StringBuilder b, Value v, CType t) {
        long value = v.asLong();
        for (CType.Enumerator e : t.enumerators()) {
            if (e.value() == value) {
                b.append(e.name());
                return;
            }
        }
        if (value != 0 && isFlagEnum(t)) {
            // gdb names the flags set, then the bits no enumerator covers: (P_READ | P_WRITE | unknown: 0x8)
            StringBuilder flags = new StringBuilder("(");
            long rest = value;
            for (CType.Enumerator e : t.enumerators()) {
                if (e.value() != 0 && (value & e.value()) == e.value()) {
                    flags.append(flags.length() > 1 ? " | " : "").append(e.name());
                    rest &= ~e.value();
                }
            }
            if (rest != 0) {
                flags.append(flags.length() > 1 ? " | " : "").append("unknown: 0x").append(Long.toHexString(rest));
            }
            b.append(flags).append(')');
            return;
        }
        b.append(value);
    }

    /** gdb's flag enum: every enumerator non-negative and their bits disjoint. */
    private static boolean isFlagEnum(CType t) {
        long mask = 0;
        for (CType.Enumerator e : t.enumerators()) {
            if (e.value() < 0 || (mask & e.value()) != 0) {
                return false;
            }
            mask |= e.value();
        }
        return !t.enumerators().isEmpty();
    }

    private void scalar(StringBuilder b, Value v, CType t) {
        if (t.isFloat()) {
            b.append(v.bytes().length == 4 ? FloatFormat.ofFloat((float) v.asDouble()) : FloatFormat.ofDouble(v.asDouble()));
            return;
        }
        if (t.encoding() == CType.ATE_COMPLEX_FLOAT) {
            // gdb: "1.5 + 2.5i", each half printed as the float type of half the size
            int half = v.bytes().length / 2;
            CType part = CType.base("double", half, CType.ATE_FLOAT);
            scalar(b, v.part(part, 0, half), part);
            b.append(" + ");
            scalar(b, v.part(part, half, half), part);
            b.append('i');
            return;
        }
        if (v.bytes().length > 8) { // __int128
            b.append(wide(v, t.isSigned()));
            return;
        }
        if (t.isBool()) {
            long x = v.raw();
            b.append(x == 0 ? "false" : x == 1 ? "true" : Long.toString(x));
            return;
        }
        long x = v.asLong();
        if (t.isSigned() || v.bytes().length < 8) {
            b.append(x);
        } else {
            b.append(Long.toUnsignedString(x));
        }
        if (t.isChar()) {
            b.append(' ');
            CharFormat.character(b, (int) (x & 0xff));
        }
    }

    /** Target (little-endian) bytes in the order BigInteger reads them. */
    private static byte[] bigEndian(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return be;
    }

    /** An integer wider than 64 bits (little-endian bytes), in decimal. */
    private static String wide(Value v, boolean signed) {
        byte[] be = bigEndian(v.bytes());
        return (signed ? new java.math.BigInteger(be) : new java.math.BigInteger(1, be)).toString();
    }

    /**
     * A scalar in an explicit format: gdb 13 formats the value's bits (a double's too) at the type's size;
     * {@code /c} takes the low byte (signed if the type is), {@code /a} adds the symbol. gdb refuses those two
     * on 128-bit integers: UnsupportedOperationException with its message.
     */
    private void formatted(StringBuilder b, Value v) {
        byte[] le = v.bytes();
        byte[] be = bigEndian(le);
        java.math.BigInteger unsigned = new java.math.BigInteger(1, be);
        if ((format == 'c' || format == 'a') && le.length > 8) {
            throw new UnsupportedOperationException("That operation is not available on integers of more than 8 bytes.");
        }
        switch (format) {
            case 'x' -> b.append("0x").append(unsigned.toString(16));
            case 'z' -> b.append("0x").append(String.format("%" + (2 * le.length) + "s", unsigned.toString(16)).replace(' ', '0'));
            case 'o' -> b.append(unsigned.signum() == 0 ? "0" : "0" + unsigned.toString(8));
            case 't' -> b.append(unsigned.toString(2));
            case 'd' -> b.append(new java.math.BigInteger(be.length == 0 ? new byte[1] : be).toString());
            case 'u' -> b.append(unsigned.toString());
            case 'c' -> {
                // the low byte, of the type's signedness; a float is converted to an integer first
                int c = le.length == 0 ? 0 : v.type().isFloat() ? (byte) (long) v.asDouble() : v.type().isSigned() ? le[0] : le[0] & 0xff;
                b.append(c).append(' ');
                CharFormat.character(b, c & 0xff);
            }
            // an address from the value as an integer: floats converted, signed types sign-extended
            case 'a' -> address(b, v.type().isFloat() ? (long) v.asDouble() : le.length <= 8 ? v.asLong() : unsigned.longValue(), true);
            default -> throw new IllegalStateException("format " + format);
        }
    }
}
