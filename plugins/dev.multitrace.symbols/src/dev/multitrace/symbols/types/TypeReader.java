package dev.multitrace.symbols.types;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.multitrace.symbols.dwarf.Die;
import dev.multitrace.symbols.dwarf.DieReader;

/**
 * Builds {@link CType}s from the type DIEs of one module, each once (cached by DIE offset, and a struct is
 * cached before its members are read, so cycles through pointers end). A struct, union or enum that is only
 * declared in one unit is resolved, as gdb does for opaque types, to its definition in another unit of the
 * same module, found by tag name. Base type names are the short forms gdb 13 prints ({@code long},
 * {@code unsigned short}) rather than gcc's ({@code long int}, {@code short unsigned int}).
 */
public final class TypeReader {

    /** Type chains longer than this (typedef of typedef of...) are corrupt. */
    private static final int MAX_DEPTH = 256;

    private final DieReader dies;
    private final Map<Long, CType> cache = new ConcurrentHashMap<>();

    public TypeReader(DieReader dies) {
        this.dies = dies;
    }

    public DieReader dies() {
        return dies;
    }

    /** The type of DIE attribute {@code DW_AT_type} of {@code d}: void when it has none (as DWARF means). */
    public CType typeOf(Die d) {
        long ref = d.ref(Die.AT_TYPE);
        return ref < 0 ? CType.VOID : type(ref);
    }

    /** The type whose DIE is at {@code offset}. */
    public CType type(long offset) {
        return type(offset, 0);
    }

    private CType type(long offset, int depth) {
        CType t = cache.get(offset);
        if (t != null) {
            return t;
        }
        if (depth > MAX_DEPTH) {
            throw dies.error("type chain deeper than " + MAX_DEPTH + " at 0x" + Long.toHexString(offset));
        }
        Die d = dies.die(offset);
        if (isDeclaration(d)) {
            Optional<Die> def = definition(d);
            if (def.isPresent()) {
                t = type(def.get().offset(), depth + 1);
                cache.put(offset, t);
                return t;
            }
        }
        return read(d, depth);
    }

    private static boolean isDeclaration(Die d) {
        int tag = d.tag();
        return d.flag(Die.AT_DECLARATION)
                && (tag == Die.TAG_STRUCTURE_TYPE || tag == Die.TAG_UNION_TYPE || tag == Die.TAG_ENUMERATION_TYPE || tag == Die.TAG_CLASS_TYPE);
    }

    /** The definition of a declared struct, union or enum in some unit of the module, by its tag name. */
    private Optional<Die> definition(Die decl) {
        Optional<String> name = decl.name();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        String key = (decl.tag() == Die.TAG_UNION_TYPE ? "union " : decl.tag() == Die.TAG_ENUMERATION_TYPE ? "enum " : "struct ") + name.get();
        for (DieReader.Named n : dies.lookup(key)) {
            Die d = dies.die(n.offset());
            if (!d.flag(Die.AT_DECLARATION)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    private CType read(Die d, int depth) {
        String name = d.name().orElse(null);
        long size = d.number(Die.AT_BYTE_SIZE).orElse(0);
        CType t;
        switch (d.tag()) {
            case Die.TAG_BASE_TYPE -> {
                t = new CType(CType.Kind.BASE, name == null ? null : shortName(name), size);
                t.encoding = (int) d.number(Die.AT_ENCODING).orElse(0);
            }
            case Die.TAG_UNSPECIFIED_TYPE -> t = new CType(CType.Kind.VOID, name == null ? "void" : name, 1);
            case Die.TAG_POINTER_TYPE -> t = new CType(CType.Kind.POINTER, null, size == 0 ? d.addressSize() : size);
            case Die.TAG_REFERENCE_TYPE -> t = new CType(CType.Kind.REFERENCE, null, size == 0 ? d.addressSize() : size);
            case Die.TAG_TYPEDEF -> t = new CType(CType.Kind.TYPEDEF, name, 0);
            case Die.TAG_CONST_TYPE -> t = new CType(CType.Kind.CONST, null, 0);
            case Die.TAG_VOLATILE_TYPE -> t = new CType(CType.Kind.VOLATILE, null, 0);
            case Die.TAG_RESTRICT_TYPE -> t = new CType(CType.Kind.RESTRICT, null, 0);
            case Die.TAG_ATOMIC_TYPE -> t = new CType(CType.Kind.ATOMIC, null, 0);
            case Die.TAG_STRUCTURE_TYPE -> t = new CType(CType.Kind.STRUCT, name, size);
            case Die.TAG_CLASS_TYPE -> t = new CType(CType.Kind.CLASS, name, size);
            case Die.TAG_UNION_TYPE -> t = new CType(CType.Kind.UNION, name, size);
            case Die.TAG_ENUMERATION_TYPE -> t = new CType(CType.Kind.ENUM, name, size);
            case Die.TAG_ARRAY_TYPE -> t = new CType(CType.Kind.ARRAY, name, size);
            case Die.TAG_SUBROUTINE_TYPE, Die.TAG_SUBPROGRAM -> t = new CType(CType.Kind.FUNCTION, null, 1);
            default -> throw dies.error("DIE 0x" + Long.toHexString(d.offset()) + " with tag 0x" + Integer.toHexString(d.tag()) + " is not a type");
        }
        // published before its parts are read: a member pointing back at this type finds it
        cache.put(d.offset(), t);
        long ref = d.ref(Die.AT_TYPE);
        if (ref >= 0 && d.tag() != Die.TAG_ARRAY_TYPE) {
            t.target = type(ref, depth + 1);
        }
        switch (d.tag()) {
            case Die.TAG_STRUCTURE_TYPE, Die.TAG_CLASS_TYPE, Die.TAG_UNION_TYPE -> {
                t.incomplete = d.flag(Die.AT_DECLARATION);
                t.members = members(d, depth);
            }
            case Die.TAG_ENUMERATION_TYPE -> {
                t.incomplete = d.flag(Die.AT_DECLARATION);
                t.enumerators = enumerators(d, t);
            }
            case Die.TAG_ARRAY_TYPE -> array(d, t, ref, depth);
            case Die.TAG_SUBROUTINE_TYPE, Die.TAG_SUBPROGRAM -> function(d, t, depth);
            default -> {
            }
        }
        return t;
    }

    private List<CType.Member> members(Die d, int depth) {
        List<CType.Member> out = new ArrayList<>();
        for (Die m : dies.children(d)) {
            if (m.tag() != Die.TAG_MEMBER || m.flag(Die.AT_DECLARATION)) {
                continue; // static members, nested types
            }
            CType type = typeOf(m);
            long offset = memberOffset(m);
            int bitSize = (int) m.number(Die.AT_BIT_SIZE).orElse(0);
            long bitOffset = offset * 8;
            if (m.has(Die.AT_DATA_BIT_OFFSET)) {
                bitOffset = m.number(Die.AT_DATA_BIT_OFFSET).getAsLong();
                offset = bitOffset / 8;
            } else if (bitSize > 0 && m.has(Die.AT_BIT_OFFSET)) {
                // DWARF 2/3: bits from the most significant end of the storage unit of byte_size bytes
                long storage = m.number(Die.AT_BYTE_SIZE).orElse(type.size());
                bitOffset = offset * 8 + storage * 8 - m.number(Die.AT_BIT_OFFSET).getAsLong() - bitSize;
            }
            out.add(new CType.Member(m.name().orElse(null), type, offset, bitSize, bitOffset));
        }
        return List.copyOf(out);
    }

    /** DW_AT_data_member_location: a constant, or (DWARF 2) the expression {@code DW_OP_plus_uconst N}. */
    private static long memberOffset(Die m) {
        byte[] expr = m.block(Die.AT_DATA_MEMBER_LOCATION);
        if (expr != null) {
            if (expr.length >= 2 && (expr[0] & 0xff) == 0x23) { // plus_uconst
                long v = 0;
                int shift = 0;
                for (int i = 1; i < expr.length && shift < 64; i++, shift += 7) {
                    v |= (long) (expr[i] & 0x7f) << shift;
                    if ((expr[i] & 0x80) == 0) {
                        break;
                    }
                }
                return v;
            }
            return 0;
        }
        return m.number(Die.AT_DATA_MEMBER_LOCATION).orElse(0);
    }

    private List<CType.Enumerator> enumerators(Die d, CType t) {
        boolean unsigned = t.target != null && !t.target.isSigned();
        List<CType.Enumerator> out = new ArrayList<>();
        for (Die e : dies.children(d)) {
            if (e.tag() == Die.TAG_ENUMERATOR) {
                long v = unsigned ? e.number(Die.AT_CONST_VALUE).orElse(0) : e.signed(Die.AT_CONST_VALUE).orElse(0);
                out.add(new CType.Enumerator(e.name().orElse("?"), v));
            }
        }
        return List.copyOf(out);
    }

    /** One DW_TAG_array_type with N subranges is N nested arrays, the first subrange outermost. */
    private void array(Die d, CType t, long elementRef, int depth) {
        List<Long> counts = new ArrayList<>();
        for (Die s : dies.children(d)) {
            if (s.tag() == Die.TAG_SUBRANGE_TYPE && counts.isEmpty() && isDynamic(s)) {
                t.dynamicBound = s; // the outermost bound of a VLA: evaluated per frame
            }
            if (s.tag() == Die.TAG_SUBRANGE_TYPE) {
                if (s.has(Die.AT_COUNT) && s.number(Die.AT_COUNT).isPresent()) {
                    counts.add(s.number(Die.AT_COUNT).getAsLong());
                } else if (s.signed(Die.AT_UPPER_BOUND).isPresent() && s.block(Die.AT_UPPER_BOUND) == null && s.ref(Die.AT_UPPER_BOUND) < 0) {
                    counts.add(upperBound(s, depth) + 1);
                } else {
                    counts.add(-1L); // flexible, or a bound computed at run time (VLA)
                }
            }
        }
        CType element = elementRef < 0 ? CType.VOID : type(elementRef, depth + 1);
        if (counts.isEmpty()) {
            counts.add(-1L);
        }
        for (int i = counts.size() - 1; i > 0; i--) {
            element = CType.arrayOf(element, counts.get(i));
        }
        t.target = element;
        t.count = counts.get(0);
        t.size = t.count < 0 ? 0 : element.size() * t.count;
    }

    /**
     * A constant upper bound. gcc writes it in a data form of the smallest size ({@code int big[250]}: data1 249),
     * which says nothing of its sign; as gdb does, it is sign-extended only when the subrange's index type is
     * signed (gcc's is {@code sizetype}, unsigned), so 249 stays 249 rather than -7.
     */
    private long upperBound(Die subrange, int depth) {
        long ref = subrange.ref(Die.AT_TYPE);
        boolean signedIndex = ref >= 0 && type(ref, depth + 1).isSigned();
        return signedIndex ? subrange.signed(Die.AT_UPPER_BOUND).getAsLong() : subrange.number(Die.AT_UPPER_BOUND).getAsLong();
    }

    private static boolean isDynamic(Die subrange) {
        for (int at : new int[] {Die.AT_UPPER_BOUND, Die.AT_COUNT}) {
            if (subrange.block(at) != null || subrange.ref(at) >= 0) {
                return true;
            }
        }
        return false;
    }

    private void function(Die d, CType t, int depth) {
        t.prototyped = d.flag(Die.AT_PROTOTYPED);
        List<CType> params = new ArrayList<>();
        for (Die p : dies.children(d)) {
            if (p.tag() == Die.TAG_FORMAL_PARAMETER) {
                params.add(typeOf(p));
            } else if (p.tag() == Die.TAG_UNSPECIFIED_PARAMETERS) {
                t.varargs = true;
            }
        }
        t.params = List.copyOf(params);
    }

    /** gdb 13's names for C's integer types: {@code long int} is {@code long}, {@code short unsigned int} {@code unsigned short}. */
    static String shortName(String dwarf) {
        List<String> words = new ArrayList<>(List.of(dwarf.split(" ")));
        if (words.size() < 2 || !(words.contains("short") || words.contains("long") || words.contains("unsigned"))) {
            return dwarf;
        }
        if (words.contains("char") || words.contains("double") || words.contains("float") || words.contains("__int128")) {
            return dwarf;
        }
        boolean unsigned = words.remove("unsigned");
        words.remove("signed");
        if (words.size() > 1) {
            words.remove("int");
        }
        if (unsigned) {
            words.add(0, "unsigned");
        }
        return String.join(" ", words);
    }
}
