package dev.multitrace.symbols.values;

import java.util.Arrays;

import dev.multitrace.symbols.types.CType;

/**
 * A typed value of the stopped program: its bytes (little-endian, as in target memory) and, when it lives
 * in memory, its address (so {@code &x}, members and elements of it, and pointer arithmetic know where they
 * are). A value that does not exist at the pc (no location covers it, or its register was not recovered in
 * this frame) has no bytes and is printed {@code <optimized out>}; one whose memory cannot be read carries
 * gdb's message ({@code Cannot access memory at address 0x...}).
 */
public final class Value {

    private final CType type;
    private final byte[] bytes;
    private final long address;
    private final String error;

    private Value(CType type, byte[] bytes, long address, String error) {
        this.type = type;
        this.bytes = bytes;
        this.address = address;
        this.error = error;
    }

    /** A value with these bytes (not in memory: a register, a computed value, a constant). */
    public static Value of(CType type, byte[] bytes) {
        return new Value(type, bytes, -1, null);
    }

    /** A value read from memory at {@code address}. */
    public static Value at(CType type, byte[] bytes, long address) {
        return new Value(type, bytes, address, null);
    }

    public static Value optimizedOut(CType type) {
        return new Value(type, null, -1, null);
    }

    /** A value whose bytes could not be read: {@code error} is what gdb says. */
    public static Value error(CType type, long address, String error) {
        return new Value(type, null, address, error);
    }

    /** An integer-like value of {@code type} (its size in bytes). */
    public static Value ofLong(CType type, long v) {
        int n = (int) Math.max(1, Math.min(8, type.size()));
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return of(type, b);
    }

    public static Value ofDouble(CType type, double v) {
        if (type.size() == 4) {
            return ofLong(type, Float.floatToRawIntBits((float) v) & 0xffffffffL);
        }
        return ofLong(type, Double.doubleToRawLongBits(v));
    }

    public CType type() {
        return type;
    }

    /** The bytes, or null when optimized out or unreadable. */
    public byte[] bytes() {
        return bytes;
    }

    public boolean available() {
        return bytes != null;
    }

    public boolean isOptimizedOut() {
        return bytes == null && error == null;
    }

    /** The error reading it, or null. */
    public String error() {
        return error;
    }

    /** Its address in memory, or -1 when it is not in memory (no lvalue). */
    public long address() {
        return address;
    }

    /** The same bytes seen as another type (casts between same-size types, typedef views). */
    public Value withType(CType t) {
        return new Value(t, bytes, address, error);
    }

    /** Bytes {@code [offset, offset + length)} as a value of {@code t} (a member or element). */
    public Value part(CType t, long offset, long length) {
        long addr = address < 0 ? -1 : address + offset;
        if (bytes == null) {
            return new Value(t, null, addr, error);
        }
        if (offset < 0 || offset + length > bytes.length) {
            return new Value(t, null, addr, "value is shorter than its type (" + bytes.length + " bytes)");
        }
        return new Value(t, Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length)), addr, null);
    }

    /** The value as an unsigned little-endian number of up to 8 bytes. */
    public long raw() {
        long v = 0;
        int n = Math.min(8, bytes.length);
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (bytes[i] & 0xff);
        }
        return v;
    }

    /** An integer value, sign-extended if its type is signed. */
    public long asLong() {
        long v = raw();
        int n = Math.min(8, bytes.length);
        if (type.isSigned() && n < 8 && !type.isFloat()) {
            int shift = 64 - 8 * n;
            v = v << shift >> shift;
        }
        return v;
    }

    /** A float or double as a Java double. */
    public double asDouble() {
        if (bytes.length == 4) {
            return Float.intBitsToFloat((int) raw());
        }
        if (bytes.length == 8) {
            return Double.longBitsToDouble(raw());
        }
        return LongDouble.toDouble(bytes);
    }

    @Override
    public String toString() {
        return ValueFormat.print(this);
    }
}
