package dev.multitrace.symbols.dwarf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.multitrace.symbols.SymbolException;
import dev.multitrace.symbols.elf.ByteReader;

/**
 * Reads whole DIEs (every attribute) from the units of a {@link DebugInfo}, on demand: one DIE at an offset,
 * the children of a DIE, and a name index of each unit's top-level variables, functions and types, built the
 * first time a name is looked up (so listing a frame's locals never walks the whole tree). Also resolves
 * location attributes, expressions or location lists ({@code .debug_loc}, {@code .debug_loclists}), to the
 * expression that holds at a pc. DIEs are cached by offset; a race reads one twice, harmlessly.
 */
public final class DieReader {

    /** DIE trees nested deeper are corrupt (real code nests a few dozen levels). */
    private static final int MAX_DEPTH = 512;

    /** A top-level entity of one unit found by name. */
    public record Named(long offset, int tag, long unitOffset) {
    }

    private final DebugInfo info;
    private final Map<Long, Die> cache = new ConcurrentHashMap<>();
    /** Readers built on this one (the type reader), kept as long as it is: one per DIE tree, no global cache. */
    private final Map<Class<?>, Object> attached = new ConcurrentHashMap<>();
    private volatile Map<String, List<Named>> index;

    DieReader(DebugInfo info) {
        this.info = info;
    }

    /** The DIE at absolute {@code .debug_info} offset {@code offset}. */
    public Die die(long offset) {
        Die d = cache.get(offset);
        if (d == null) {
            DebugInfo.Unit unit = info.unitAt(offset);
            d = read(unit, offset);
            if (d == null) {
                throw info.info().error("no DIE at offset 0x" + Long.toHexString(offset) + " (a null entry)");
            }
            cache.put(offset, d);
        }
        return d;
    }

    /**
     * The {@code kind} of reader attached to this DIE tree, made once by {@code make}: readers of other
     * packages (types) cache their results here, for as long as this tree lives.
     */
    public <T> T attached(Class<T> kind, java.util.function.Function<DieReader, T> make) {
        return kind.cast(attached.computeIfAbsent(kind, k -> make.apply(this)));
    }

    /** An error about the DIE tree, naming the file and {@code .debug_info}. */
    public SymbolException error(String message) {
        return info.info().error(message);
    }

    /** The unit DIE (compile unit) of the unit holding {@code d}. */
    public Die unitDie(Die d) {
        return die(d.unit.firstDie);
    }

    /** The children of {@code d}, in order (empty if it has none). */
    public List<Die> children(Die d) {
        return children(d, 0);
    }

    private List<Die> children(Die d, int depth) {
        List<Die> c = d.children;
        if (c != null) {
            return c;
        }
        if (!d.hasChildren) {
            d.end = d.childrenStart;
            d.children = List.of();
            return d.children;
        }
        if (depth > MAX_DEPTH) {
            throw info.info().error("DIE tree nested deeper than " + MAX_DEPTH + " levels at offset 0x" + Long.toHexString(d.offset));
        }
        List<Die> out = new ArrayList<>();
        long at = d.childrenStart;
        for (;;) {
            if (at >= d.unit.end) {
                throw info.info().error("children of DIE 0x" + Long.toHexString(d.offset) + " run past the end of their unit");
            }
            Die child = cache.get(at);
            if (child == null) {
                child = read(d.unit, at);
                if (child == null) { // the null entry ending the siblings
                    at++; // a null entry is the one byte 0
                    break;
                }
                cache.put(at, child);
            }
            out.add(child);
            at = end(child, depth + 1);
        }
        d.end = at;
        d.children = List.copyOf(out);
        return d.children;
    }

    /** Where the subtree of {@code d} ends: its sibling attribute, or past its children. */
    private long end(Die d, int depth) {
        if (d.end >= 0) {
            return d.end;
        }
        long sibling = d.ref(Die.AT_SIBLING);
        if (sibling > d.offset && sibling <= d.unit.end) {
            d.end = sibling;
            return sibling;
        }
        children(d, depth);
        return d.end;
    }

    /** Reads the DIE at {@code offset}: null for a null entry. */
    private Die read(DebugInfo.Unit unit, long offset) {
        info.prepare(unit);
        ByteReader u = info.info().slice(0, unit.end);
        u.seek(offset);
        long code = u.uleb128();
        if (code == 0) {
            return null;
        }
        DebugInfo.Abbrev ab = info.abbrevs(unit).get(code);
        if (ab == null) {
            throw u.error("DIE at offset 0x" + Long.toHexString(offset) + " uses abbreviation " + code + ", not in .debug_abbrev at 0x"
                    + Long.toHexString(unit.abbrevOffset));
        }
        int n = ab.attrs().length;
        int[] forms = new int[n];
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            int form = ab.forms()[i];
            if (form == 0x16) { // indirect
                form = u.ulebInt("indirect form");
                if (form == 0x16) {
                    throw u.error("nested DW_FORM_indirect");
                }
            }
            forms[i] = form;
            values[i] = value(unit, u, form, ab.implicitConst()[i]);
        }
        return new Die(offset, ab.tag(), ab.children(), unit, ab.attrs(), forms, values, u.pos());
    }

    private Object value(DebugInfo.Unit unit, ByteReader u, int form, long implicitConst) {
        switch (form) {
            case 0x21: return implicitConst;
            case 0x08: return u.cstring();
            case 0x03: return u.bytes(u.u16());
            case 0x04: return u.bytes(u.u32());
            case 0x09: case 0x18: return u.bytes(u.uleb128());
            case 0x0a: return u.bytes(u.u8());
            case 0x1e: return u.bytes(16);
            case 0x0e: return info.string(".debug_str", u.unsigned(unit.dwarf64 ? 8 : 4));
            case 0x1f: return info.string(".debug_line_str", u.unsigned(unit.dwarf64 ? 8 : 4));
            case 0x1a: case 0x25: case 0x26: case 0x27: case 0x28: case 0x1f02:
                return info.strx(unit, DebugInfo.value(unit, u, form), u);
            case 0x1b: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x1f01:
                return info.address(unit, form, DebugInfo.value(unit, u, form));
            case 0x1f20: case 0x1f21:
                DebugInfo.value(unit, u, form);
                return null; // in the alternate (dwz) file, which is not read
            default: return DebugInfo.value(unit, u, form);
        }
    }

    /**
     * The top-level entities named {@code name} in every unit: variables and functions (key {@code name}),
     * typedefs and base types ({@code name}), and struct/union/enum tags ({@code "struct name"},
     * {@code "union name"}, {@code "enum name"}); enumerators are listed under their name with the tag
     * {@link Die#TAG_ENUMERATOR} and the offset of their enumeration type.
     */
    public List<Named> lookup(String name) {
        return index().getOrDefault(name, List.of());
    }

    private Map<String, List<Named>> index() {
        Map<String, List<Named>> m = index;
        if (m == null) {
            synchronized (this) {
                m = index;
                if (m == null) {
                    m = buildIndex();
                    index = m;
                }
            }
        }
        return m;
    }

    private Map<String, List<Named>> buildIndex() {
        Map<String, List<Named>> m = new HashMap<>();
        for (DebugInfo.Unit unit : info.units()) {
            info.prepare(unit);
            if (unit.skip) {
                continue;
            }
            Die cu = die(unit.firstDie);
            for (Die d : children(cu)) {
                String name = d.name().orElse(null);
                if (d.tag == Die.TAG_ENUMERATION_TYPE) {
                    for (Die e : children(d)) {
                        e.name().ifPresent(en -> add(m, en, new Named(d.offset, Die.TAG_ENUMERATOR, unit.offset)));
                    }
                }
                if (name == null) {
                    continue;
                }
                String key = switch (d.tag) {
                    case Die.TAG_STRUCTURE_TYPE, Die.TAG_CLASS_TYPE -> "struct " + name;
                    case Die.TAG_UNION_TYPE -> "union " + name;
                    case Die.TAG_ENUMERATION_TYPE -> "enum " + name;
                    case Die.TAG_VARIABLE, Die.TAG_SUBPROGRAM, Die.TAG_TYPEDEF, Die.TAG_BASE_TYPE -> name;
                    default -> null;
                };
                if (key != null) {
                    add(m, key, new Named(d.offset, d.tag, unit.offset));
                }
            }
        }
        return m;
    }

    private static void add(Map<String, List<Named>> m, String key, Named n) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
    }

    /** Entry {@code index} of the address table ({@code .debug_addr}) of the unit of {@code d}: link-time. */
    public long addrx(Die d, long index) {
        return info.address(d.unit, 0x1b, index);
    }

    /**
     * The location expression of attribute {@code attr} of {@code d} that holds at link-time address
     * {@code pc}: the expression itself, or the entry of its location list covering {@code pc}. Null when the
     * attribute is absent or no entry covers {@code pc} (the value does not exist there: optimized out).
     */
    public byte[] expressionAt(Die d, int attr, long pc) {
        if (!d.isLocationList(attr)) {
            return d.block(attr);
        }
        long v = d.number(attr).orElse(-1);
        return d.unit.version >= 5 ? loclists(d, d.form(attr), v, pc) : debugLoc(d.unit, v, pc);
    }

    /** DWARF 2-4 {@code .debug_loc}: address pairs relative to the unit's base, a 2-byte length, the expression. */
    private byte[] debugLoc(DebugInfo.Unit unit, long offset, long pc) {
        ByteReader r = section(".debug_loc");
        check(r, offset, "location list");
        r.seek(offset);
        long base = unit.baseAddress;
        long max = unit.addressSize == 8 ? -1L : 0xffffffffL;
        for (;;) {
            long start = r.unsigned(unit.addressSize);
            long end = r.unsigned(unit.addressSize);
            if (start == 0 && end == 0) {
                return null;
            }
            if (start == max) {
                base = end;
                continue;
            }
            byte[] expr = r.bytes(r.u16());
            if (covers(base + start, base + end, pc)) {
                return expr;
            }
        }
    }

    /** DWARF 5 {@code .debug_loclists}: an offset, or an index (loclistx) into the unit's offset table. */
    private byte[] loclists(Die d, int form, long v, long pc) {
        DebugInfo.Unit unit = d.unit;
        ByteReader r = section(".debug_loclists");
        long offset = v;
        if (form == 0x22) { // loclistx
            int size = unit.dwarf64 ? 8 : 4;
            long base = unitDie(d).number(Die.AT_LOCLISTS_BASE).orElse(12);
            long at = base + v * size;
            check(r, at, "location list index");
            r.seek(at);
            offset = base + r.unsigned(size);
        }
        check(r, offset, "location list");
        r.seek(offset);
        long base = unit.baseAddress;
        byte[] fallback = null;
        for (;;) {
            int kind = r.u8();
            long start;
            long end;
            switch (kind) {
                case 0: return fallback; // end_of_list
                case 1: base = info.address(unit, 0x1b, r.uleb128()); continue; // base_addressx
                case 2: start = info.address(unit, 0x1b, r.uleb128()); end = info.address(unit, 0x1b, r.uleb128()); break;
                case 3: start = info.address(unit, 0x1b, r.uleb128()); end = start + r.uleb128(); break;
                case 4: start = base + r.uleb128(); end = base + r.uleb128(); break;
                case 5: fallback = r.bytes(r.uleb128()); continue; // default_location
                case 6: base = r.unsigned(unit.addressSize); continue;
                case 7: start = r.unsigned(unit.addressSize); end = r.unsigned(unit.addressSize); break;
                case 8: start = r.unsigned(unit.addressSize); end = start + r.uleb128(); break;
                default: throw r.error("unknown location list entry kind " + kind + " at offset 0x" + Integer.toHexString(r.pos() - 1));
            }
            byte[] expr = r.bytes(r.uleb128());
            if (covers(start, end, pc)) {
                return expr;
            }
        }
    }

    private static boolean covers(long low, long high, long pc) {
        return Long.compareUnsigned(pc, low) >= 0 && Long.compareUnsigned(pc, high) < 0;
    }

    private ByteReader section(String name) {
        return info.elf.data(name).orElseThrow(() -> new SymbolException(info.elf.name(), name, "section missing (needed by .debug_info)"));
    }

    private static void check(ByteReader r, long offset, String what) {
        if (offset < 0 || offset >= r.size()) {
            throw r.error(what + " offset 0x" + Long.toHexString(offset) + " outside the section");
        }
    }
}
