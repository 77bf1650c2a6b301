package dev.multitrace.symbols.types;

import java.util.List;
import java.util.Optional;

/**
 * A C type read from DWARF. One class for every kind (rather than a record per kind) because DWARF types
 * are cyclic ({@code struct node { struct node *next; }}): a struct is created first and its members are
 * filled in afterwards by {@link TypeReader}, so a member can point back at it. Immutable once read.
 * Arrays of several dimensions are arrays of arrays, as in C; {@code count} -1 is a flexible or
 * variable-length array.
 */
public final class CType {

    public enum Kind {
        VOID, BASE, POINTER, REFERENCE, TYPEDEF, CONST, VOLATILE, RESTRICT, ATOMIC, STRUCT, UNION, CLASS, ENUM, ARRAY, FUNCTION
    }

    /** DWARF base type encodings (DW_ATE_*). */
    public static final int ATE_BOOLEAN = 2;
    public static final int ATE_COMPLEX_FLOAT = 3;
    public static final int ATE_FLOAT = 4;
    public static final int ATE_SIGNED = 5;
    public static final int ATE_SIGNED_CHAR = 6;
    public static final int ATE_UNSIGNED = 7;
    public static final int ATE_UNSIGNED_CHAR = 8;
    public static final int ATE_UTF = 0x10;

    /** A struct or union member; bit fields have bitSize > 0 and bitOffset counted from the struct's start. */
    public record Member(String name, CType type, long offset, int bitSize, long bitOffset) {
        public boolean isBitField() {
            return bitSize > 0;
        }
    }

    public record Enumerator(String name, long value) {
    }

    final Kind kind;
    final String name;
    long size;
    int encoding;
    CType target;
    long count = -1;
    List<Member> members = List.of();
    List<Enumerator> enumerators = List.of();
    List<CType> params = List.of();
    boolean varargs;
    boolean prototyped;
    /** A variable-length array's subrange DIE, whose bound is computed in a frame (else null). */
    dev.multitrace.symbols.dwarf.Die dynamicBound;
    /** A struct, union or enum only declared ({@code DW_AT_declaration}) and defined in no unit read. */
    boolean incomplete;

    CType(Kind kind, String name, long size) {
        this.kind = kind;
        this.name = name;
        this.size = size;
    }

    public static final CType VOID = new CType(Kind.VOID, "void", 1);

    /** A base type made by the expression evaluator (int, char, double...), not read from DWARF. */
    public static CType base(String name, long size, int encoding) {
        CType t = new CType(Kind.BASE, name, size);
        t.encoding = encoding;
        return t;
    }

    public static CType pointerTo(CType target) {
        return derived(Kind.POINTER, 8, target);
    }

    /** {@code const T}, {@code volatile T} (a cast's type). */
    public static CType qualified(Kind kind, CType target) {
        return derived(kind, 0, target);
    }

    /** An unprototyped function returning {@code result} ({@code $pc} is a {@code void (*)()}). */
    public static CType function(CType result) {
        return derived(Kind.FUNCTION, 1, result);
    }

    private static CType derived(Kind kind, long size, CType target) {
        CType t = new CType(kind, null, size);
        t.target = target;
        return t;
    }

    public static CType arrayOf(CType element, long count) {
        CType t = new CType(Kind.ARRAY, null, count < 0 ? 0 : element.size() * count);
        t.target = element;
        t.count = count;
        return t;
    }

    public Kind kind() {
        return kind;
    }

    /** The name of a base type, typedef, or struct/union/enum tag (without the keyword); else empty. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /** Bytes, as sizeof gives them (typedefs and qualifiers give their target's). */
    public long size() {
        return size(0);
    }

    /** Bounded: corrupt DWARF can make a typedef or array cycle, which must not overflow the stack. */
    private long size(int depth) {
        if (depth > 64) {
            return 0;
        }
        return switch (kind) {
            case TYPEDEF, CONST, VOLATILE, RESTRICT, ATOMIC -> target == null ? 0 : target.size(depth + 1);
            case ARRAY -> count < 0 || target == null ? 0 : target.size(depth + 1) * count;
            default -> size;
        };
    }

    public int encoding() {
        return encoding;
    }

    /** The pointed-to, element, aliased, qualified or returned type; enums: null. */
    public CType target() {
        return target == null && kind != Kind.ENUM ? VOID : target;
    }

    /** Array element count, -1 if unknown (flexible). */
    public long count() {
        return count;
    }

    /**
     * For a variable-length array ({@code int a[n]}): the subrange DIE whose upper bound or count is an
     * expression or a variable, to be evaluated in the frame; null for other types.
     */
    public dev.multitrace.symbols.dwarf.Die dynamicBound() {
        return dynamicBound;
    }

    public List<Member> members() {
        return members;
    }

    public List<Enumerator> enumerators() {
        return enumerators;
    }

    public List<CType> params() {
        return params;
    }

    public boolean varargs() {
        return varargs;
    }

    public boolean prototyped() {
        return prototyped;
    }

    public boolean incomplete() {
        return incomplete;
    }

    /** This type without typedefs and qualifiers: what its values are. */
    public CType strip() {
        CType t = this;
        for (int i = 0; i < 64 && t.isAlias(); i++) {
            t = t.target();
        }
        return t;
    }

    /** A typedef or a qualifier: a name for another type. */
    public boolean isAlias() {
        return kind == Kind.TYPEDEF || kind == Kind.CONST || kind == Kind.VOLATILE || kind == Kind.RESTRICT || kind == Kind.ATOMIC;
    }

    public boolean isPointer() {
        Kind k = strip().kind;
        return k == Kind.POINTER || k == Kind.REFERENCE;
    }

    public boolean isArray() {
        return strip().kind == Kind.ARRAY;
    }

    public boolean isStructLike() {
        Kind k = strip().kind;
        return k == Kind.STRUCT || k == Kind.UNION || k == Kind.CLASS;
    }

    public boolean isFloat() {
        CType s = strip();
        return s.kind == Kind.BASE && s.encoding == ATE_FLOAT;
    }

    /** Integers, chars, _Bool and enums. */
    public boolean isIntegral() {
        CType s = strip();
        return s.kind == Kind.ENUM || s.kind == Kind.BASE && s.encoding != ATE_FLOAT && s.encoding != ATE_COMPLEX_FLOAT;
    }

    public boolean isSigned() {
        CType s = strip();
        if (s.kind == Kind.ENUM) {
            return s.target != null ? s.target.isSigned() : s.enumerators.stream().anyMatch(e -> e.value() < 0);
        }
        return s.kind == Kind.BASE && (s.encoding == ATE_SIGNED || s.encoding == ATE_SIGNED_CHAR || s.encoding == ATE_FLOAT);
    }

    /** A one-byte character type: what gdb prints as {@code 65 'A'} and char arrays as strings. */
    public boolean isChar() {
        CType s = strip();
        return s.kind == Kind.BASE && s.size == 1 && (s.encoding == ATE_SIGNED_CHAR || s.encoding == ATE_UNSIGNED_CHAR);
    }

    public boolean isBool() {
        CType s = strip();
        return s.kind == Kind.BASE && s.encoding == ATE_BOOLEAN;
    }

    public boolean isScalar() {
        return isIntegral() || isFloat() || isPointer();
    }

    /** The member called {@code member}, looking into anonymous structs and unions as C does. */
    public Optional<Member> member(String member) {
        for (Member m : strip().members) {
            if (member.equals(m.name())) {
                return Optional.of(m);
            }
            if (m.name() == null && m.type().isStructLike()) {
                Optional<Member> inner = m.type().member(member);
                if (inner.isPresent()) {
                    Member i = inner.get();
                    return Optional.of(new Member(i.name(), i.type(), m.offset() + i.offset(), i.bitSize(), m.offset() * 8 + i.bitOffset()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return TypeNames.name(this);
    }
}
