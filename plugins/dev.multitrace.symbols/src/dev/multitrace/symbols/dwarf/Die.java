package dev.multitrace.symbols.dwarf;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One debugging information entry with all its attributes, as {@link DieReader} read it: the tag, and each
 * attribute's form and value (a number for constants, addresses, offsets and references; the string for
 * string forms, resolved through {@code .debug_str}/{@code .debug_str_offsets}; the bytes for blocks and
 * expressions). Types, variables and their locations are read from these; the scope tree of
 * {@link DebugInfo} stays the light reader used to place a pc.
 */
public final class Die {

    public static final int TAG_ARRAY_TYPE = 0x01;
    public static final int TAG_ENUMERATION_TYPE = 0x04;
    public static final int TAG_FORMAL_PARAMETER = 0x05;
    public static final int TAG_LEXICAL_BLOCK = 0x0b;
    public static final int TAG_MEMBER = 0x0d;
    public static final int TAG_POINTER_TYPE = 0x0f;
    public static final int TAG_REFERENCE_TYPE = 0x10;
    public static final int TAG_COMPILE_UNIT = 0x11;
    public static final int TAG_STRUCTURE_TYPE = 0x13;
    public static final int TAG_SUBROUTINE_TYPE = 0x15;
    public static final int TAG_TYPEDEF = 0x16;
    public static final int TAG_UNION_TYPE = 0x17;
    public static final int TAG_UNSPECIFIED_PARAMETERS = 0x18;
    public static final int TAG_INLINED_SUBROUTINE = 0x1d;
    public static final int TAG_SUBRANGE_TYPE = 0x21;
    public static final int TAG_BASE_TYPE = 0x24;
    public static final int TAG_CONST_TYPE = 0x26;
    public static final int TAG_ENUMERATOR = 0x28;
    public static final int TAG_SUBPROGRAM = 0x2e;
    public static final int TAG_VARIABLE = 0x34;
    public static final int TAG_VOLATILE_TYPE = 0x35;
    public static final int TAG_RESTRICT_TYPE = 0x37;
    public static final int TAG_UNSPECIFIED_TYPE = 0x3b;
    public static final int TAG_ATOMIC_TYPE = 0x47;
    public static final int TAG_CLASS_TYPE = 0x02;

    public static final int AT_SIBLING = 0x01;
    public static final int AT_LOCATION = 0x02;
    public static final int AT_NAME = 0x03;
    public static final int AT_BYTE_SIZE = 0x0b;
    public static final int AT_BIT_OFFSET = 0x0c;
    public static final int AT_BIT_SIZE = 0x0d;
    public static final int AT_LOW_PC = 0x11;
    public static final int AT_HIGH_PC = 0x12;
    public static final int AT_LANGUAGE = 0x13;
    public static final int AT_CONST_VALUE = 0x1c;
    public static final int AT_UPPER_BOUND = 0x2f;
    public static final int AT_PROTOTYPED = 0x27;
    public static final int AT_ABSTRACT_ORIGIN = 0x31;
    public static final int AT_COUNT = 0x37;
    public static final int AT_DATA_MEMBER_LOCATION = 0x38;
    public static final int AT_DECLARATION = 0x3c;
    public static final int AT_ENCODING = 0x3e;
    public static final int AT_EXTERNAL = 0x3f;
    public static final int AT_FRAME_BASE = 0x40;
    public static final int AT_SPECIFICATION = 0x47;
    public static final int AT_TYPE = 0x49;
    public static final int AT_DATA_BIT_OFFSET = 0x6b;
    public static final int AT_LOCLISTS_BASE = 0x8c;

    final long offset;
    final int tag;
    final boolean hasChildren;
    final DebugInfo.Unit unit;
    final int[] attrs;
    final int[] forms;
    final Object[] values;
    /** Where the children (if any) start: just past this DIE's attributes. */
    final long childrenStart;
    /** Past this DIE's whole subtree, once known (its sibling attribute, or after its children are read). */
    volatile long end = -1;
    volatile List<Die> children;

    Die(long offset, int tag, boolean hasChildren, DebugInfo.Unit unit, int[] attrs, int[] forms, Object[] values, long childrenStart) {
        this.offset = offset;
        this.tag = tag;
        this.hasChildren = hasChildren;
        this.unit = unit;
        this.attrs = attrs;
        this.forms = forms;
        this.values = values;
        this.childrenStart = childrenStart;
    }

    /** The offset of this DIE in {@code .debug_info}: its identity. */
    public long offset() {
        return offset;
    }

    public int tag() {
        return tag;
    }

    public boolean hasChildren() {
        return hasChildren;
    }

    /** The offset of its unit's header: DIEs of one unit share it. */
    public long unitOffset() {
        return unit.offset;
    }

    public int version() {
        return unit.version;
    }

    public int addressSize() {
        return unit.addressSize;
    }

    private int index(int attr) {
        for (int i = 0; i < attrs.length; i++) {
            if (attrs[i] == attr) {
                return i;
            }
        }
        return -1;
    }

    public boolean has(int attr) {
        return index(attr) >= 0;
    }

    /** The form the attribute is stored in, or -1 if absent. */
    public int form(int attr) {
        int i = index(attr);
        return i < 0 ? -1 : forms[i];
    }

    public Optional<String> name() {
        return string(AT_NAME);
    }

    public Optional<String> string(int attr) {
        int i = index(attr);
        return i >= 0 && values[i] instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** A numeric attribute as stored (data forms zero-extended, sdata and implicit_const signed). */
    public OptionalLong number(int attr) {
        int i = index(attr);
        return i >= 0 && values[i] instanceof Long l ? OptionalLong.of(l) : OptionalLong.empty();
    }

    /** A constant sign-extended from its data form's size (data1/2/4): bounds, enumerator values. */
    public OptionalLong signed(int attr) {
        int i = index(attr);
        if (i < 0 || !(values[i] instanceof Long l)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(switch (forms[i]) {
            case 0x0b -> (byte) (long) l;
            case 0x05 -> (short) (long) l;
            case 0x06 -> (int) (long) l;
            default -> l;
        });
    }

    public boolean flag(int attr) {
        OptionalLong v = number(attr);
        return v.isPresent() && v.getAsLong() != 0;
    }

    /** The bytes of a block or expression attribute (exprloc, block*, data16), or null. */
    public byte[] block(int attr) {
        int i = index(attr);
        return i >= 0 && values[i] instanceof byte[] b ? b.clone() : null;
    }

    /** A reference attribute (type, abstract_origin...) as an absolute {@code .debug_info} offset, or -1. */
    public long ref(int attr) {
        int i = index(attr);
        if (i < 0 || !(values[i] instanceof Long l)) {
            return -1;
        }
        return switch (forms[i]) {
            case 0x10 -> l; // ref_addr
            case 0x11, 0x12, 0x13, 0x14, 0x15 -> unit.offset + l;
            default -> -1; // ref_sig8 (type units) and the alternate file are not followed
        };
    }

    /** Whether the attribute holds a location list (an offset or index) rather than an expression. */
    public boolean isLocationList(int attr) {
        int f = form(attr);
        return f == 0x17 || f == 0x22 || (unit.version < 4 && (f == 0x06 || f == 0x07));
    }

    @Override
    public String toString() {
        return "DIE 0x" + Long.toHexString(offset) + " tag 0x" + Integer.toHexString(tag) + name().map(n -> " " + n).orElse("");
    }
}
