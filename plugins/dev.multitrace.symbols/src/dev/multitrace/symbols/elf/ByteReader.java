package dev.multitrace.symbols.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;


/**
 * A bounds-checked cursor over a region of a buffer (one section, usually). Every read checks the
 * region's limit first and reports a short read as a {@link SymbolException} naming file and section.
 * Positions are relative to the start of the region.
 */
public final class ByteReader {

    private final ByteBuffer buf;
    private final int base;
    private final int size;
    private final String file;
    private final String section;
    private int pos;

    public ByteReader(ByteBuffer buf, int base, int size, ByteOrder order, String file, String section) {
        if (base < 0 || size < 0 || base > buf.capacity() - size) {
            throw new SymbolException(file, section, "region " + base + "+" + size + " outside data of " + buf.capacity() + " bytes");
        }
        this.buf = buf.duplicate().order(order);
        this.base = base;
        this.size = size;
        this.file = file;
        this.section = section;
    }

    public static ByteReader of(byte[] data, ByteOrder order, String file, String section) {
        return new ByteReader(ByteBuffer.wrap(data), 0, data.length, order, file, section);
    }

    public String file() {
        return file;
    }

    public String section() {
        return section;
    }

    public ByteOrder order() {
        return buf.order();
    }

    public int size() {
        return size;
    }

    public int pos() {
        return pos;
    }

    public int remaining() {
        return size - pos;
    }

    public boolean hasRemaining() {
        return pos < size;
    }

    public ByteReader seek(long newPos) {
        if (newPos < 0 || newPos > size) {
            throw error("offset 0x" + Long.toHexString(newPos) + " outside " + size + " bytes");
        }
        pos = (int) newPos;
        return this;
    }

    public ByteReader skip(long n) {
        if (n < 0 || n > size - pos) {
            throw error("truncated: cannot skip " + n + " bytes at offset 0x" + Integer.toHexString(pos) + " of " + size);
        }
        pos += (int) n;
        return this;
    }

    /** A reader over {@code [offset, offset+length)} of this region, positioned at its start. */
    public ByteReader slice(long offset, long length) {
        return slice(offset, length, section);
    }

    public ByteReader slice(long offset, long length, String sectionName) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw error("range 0x" + Long.toHexString(offset) + "+0x" + Long.toHexString(length) + " outside " + size + " bytes");
        }
        return new ByteReader(buf, base + (int) offset, (int) length, buf.order(), file, sectionName);
    }

    public SymbolException error(String message) {
        return new SymbolException(file, section, message);
    }

    private int need(int n) {
        if (n > size - pos) {
            throw error("truncated: need " + n + " bytes at offset 0x" + Integer.toHexString(pos) + " of " + size);
        }
        int at = base + pos;
        pos += n;
        return at;
    }

    public int u8() {
        return buf.get(need(1)) & 0xff;
    }

    public int s8() {
        return buf.get(need(1));
    }

    public int u16() {
        return buf.getShort(need(2)) & 0xffff;
    }

    public long u32() {
        return buf.getInt(need(4)) & 0xffffffffL;
    }

    public int s32() {
        return buf.getInt(need(4));
    }

    /** 64 bits, as a (possibly negative) long. */
    public long u64() {
        return buf.getLong(need(8));
    }

    /** An unsigned value of 1, 2, 4 or 8 bytes. */
    public long unsigned(int bytes) {
        return switch (bytes) {
            case 1 -> u8();
            case 2 -> u16();
            case 4 -> u32();
            case 8 -> u64();
            default -> throw error("unsupported value size " + bytes);
        };
    }

    public long uleb128() {
        long result = 0;
        int shift = 0;
        for (int i = 0; ; i++) {
            if (i >= 10) {
                throw error("LEB128 longer than 10 bytes at offset 0x" + Integer.toHexString(pos - i));
            }
            int b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    public long sleb128() {
        long result = 0;
        int shift = 0;
        int b;
        int i = 0;
        do {
            if (i++ >= 10) {
                throw error("LEB128 longer than 10 bytes at offset 0x" + Integer.toHexString(pos - i));
            }
            b = u8();
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** A ULEB128 that must fit an int (counts, indexes). */
    public int ulebInt(String what) {
        long v = uleb128();
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw error(what + " out of range: " + Long.toUnsignedString(v));
        }
        return (int) v;
    }

    public byte[] bytes(long n) {
        if (n < 0 || n > size - pos) {
            throw error("truncated: need " + n + " bytes at offset 0x" + Integer.toHexString(pos) + " of " + size);
        }
        byte[] out = new byte[(int) n];
        buf.get(need((int) n), out);
        return out;
    }

    /** A NUL-terminated UTF-8 string at the current position. */
    public String cstring() {
        int start = pos;
        int at = base + pos;
        int end = base + size;
        int i = at;
        while (i < end && buf.get(i) != 0) {
            i++;
        }
        if (i >= end) {
            throw error("string at offset 0x" + Integer.toHexString(start) + " not NUL-terminated");
        }
        byte[] b = new byte[i - at];
        buf.get(at, b);
        pos = start + b.length + 1;
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A NUL-terminated string at {@code offset} (a string table lookup), not moving the cursor. */
    public String cstringAt(long offset) {
        if (offset < 0 || offset >= size) {
            throw error("string offset 0x" + Long.toHexString(offset) + " outside " + size + " bytes");
        }
        int saved = pos;
        pos = (int) offset;
        try {
            return cstring();
        } finally {
            pos = saved;
        }
    }

    /** A copy of the whole region. */
    public byte[] toByteArray() {
        byte[] out = new byte[size];
        buf.get(base, out);
        return out;
    }
}
