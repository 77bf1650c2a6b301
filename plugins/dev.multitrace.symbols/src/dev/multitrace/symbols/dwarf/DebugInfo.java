package dev.multitrace.symbols.dwarf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.multitrace.symbols.elf.SymbolException;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * A minimal reader of the DIE tree in {@code .debug_info} (DWARF 2-5): per compilation unit, the code scopes
 * a debugger needs to place a pc: functions ({@code DW_TAG_subprogram}), inlined instances
 * ({@code DW_TAG_inlined_subroutine}, named through {@code DW_AT_abstract_origin}, with their call site) and
 * lexical blocks, each with its address ranges ({@code low_pc/high_pc} or {@code DW_AT_ranges} in
 * {@code .debug_ranges}/{@code .debug_rnglists}). Everything else (types, variables) is skipped.
 * <p>
 * Lazy: nothing is read until the first lookup; then only each unit's first DIE (its ranges), and the whole
 * tree of a unit only when a lookup falls in it. Thread-safe: the unit index is built once under the lock of
 * this object; each unit's scopes are built at most once per thread race and published through a
 * concurrent map (a duplicate parse is harmless, the result is the same).
 */
public final class DebugInfo {

    static final int TAG_COMPILE_UNIT = 0x11;
    static final int TAG_PARTIAL_UNIT = 0x3c;
    static final int TAG_SUBPROGRAM = 0x2e;
    static final int TAG_INLINED_SUBROUTINE = 0x1d;
    static final int TAG_LEXICAL_BLOCK = 0x0b;

    private static final int AT_NAME = 0x03;
    private static final int AT_LINKAGE_NAME = 0x6e;
    private static final int AT_MIPS_LINKAGE_NAME = 0x2007;
    private static final int AT_LOW_PC = 0x11;
    private static final int AT_HIGH_PC = 0x12;
    private static final int AT_STMT_LIST = 0x10;
    private static final int AT_LANGUAGE = 0x13;
    /** {@code DW_LANG_Mips_Assembler}, what GNU as writes for a {@code .S} file's unit. */
    private static final int LANG_ASSEMBLER = 0x8001;
    private static final int AT_RANGES = 0x55;
    private static final int AT_ABSTRACT_ORIGIN = 0x31;
    private static final int AT_SPECIFICATION = 0x47;
    private static final int AT_CALL_FILE = 0x58;
    private static final int AT_CALL_LINE = 0x59;
    private static final int AT_STR_OFFSETS_BASE = 0x72;
    private static final int AT_ADDR_BASE = 0x73;
    private static final int AT_RNGLISTS_BASE = 0x74;
    private static final int AT_GNU_RANGES_BASE = 0x2132;
    private static final int AT_GNU_ADDR_BASE = 0x2133;

    /** DIE trees nested deeper are corrupt (real code nests a few dozen levels). */
    private static final int MAX_DEPTH = 512;
    /** Links followed from an inlined instance to a name (abstract_origin, specification). */
    private static final int MAX_ORIGIN_HOPS = 8;

    /** A scope with code: a function, an inlined instance or a lexical block. */
    public static final class Scope {
        final int tag;
        final long dieOffset;
        long[] ranges = new long[0]; // pairs [low, high), link-time addresses
        long origin = -1; // abstract_origin or specification, absolute .debug_info offset
        String name;
        long callFile = -1;
        int callLine;
        boolean hasSymbols;
        final List<Scope> children = new ArrayList<>(0);
        Unit unit;

        Scope(int tag, long dieOffset) {
            this.tag = tag;
            this.dieOffset = dieOffset;
        }

        /** The offset of the scope's DIE in {@code .debug_info}, for reading its variables ({@link DieReader}). */
        public long dieOffset() {
            return dieOffset;
        }

        public boolean isInlined() {
            return tag == TAG_INLINED_SUBROUTINE;
        }

        public boolean isFunction() {
            return tag == TAG_SUBPROGRAM;
        }

        /**
         * This scope is a block of its own for gdb: a function, an inlined instance, or a lexical block that
         * declares something (gdb folds a lexical block without local symbols into its parent).
         */
        public boolean isGdbBlock() {
            return tag != TAG_LEXICAL_BLOCK || hasSymbols;
        }

        /** Pairs of link-time addresses [low, high). */
        public long[] ranges() {
            return ranges.clone();
        }

        public boolean contains(long address) {
            for (int i = 0; i + 1 < ranges.length; i += 2) {
                if (Long.compareUnsigned(address, ranges[i]) >= 0 && Long.compareUnsigned(address, ranges[i + 1]) < 0) {
                    return true;
                }
            }
            return false;
        }

        /** The lowest address of the scope (its entry for a function or an inlined instance). */
        public long lowPc() {
            long low = -1;
            for (int i = 0; i < ranges.length; i += 2) {
                if (Long.compareUnsigned(ranges[i], low) < 0) {
                    low = ranges[i];
                }
            }
            return low;
        }

        /** For an inlined instance: the source line of the call it replaces, 0 if not given. */
        public int callLine() {
            return callLine;
        }

        public List<Scope> children() {
            return Collections.unmodifiableList(children);
        }
    }

    /** One compilation unit: its header, the bases DWARF 5 indexed forms need, its ranges. */
    static final class Unit {
        final long offset; // of the unit header in .debug_info
        final long end;
        final int version;
        final boolean dwarf64;
        final int addressSize;
        final long abbrevOffset;
        final long firstDie;
        long strOffsetsBase = 8;
        long addrBase = 8;
        long rnglistsBase = -1;
        long stmtList = -1;
        /** DW_AT_language, -1 if the unit has none. */
        int language = -1;
        long baseAddress;
        long[] ranges = new long[0];
        /** The first DIE was read (bases, stmt_list, ranges): set once, under the unit's lock. */
        volatile boolean prepared;
        /** Not a unit with code (a type unit, or its first DIE is no compile/partial unit). */
        boolean skip;
        volatile List<Scope> scopes;

        Unit(long offset, long end, int version, boolean dwarf64, int addressSize, long abbrevOffset, long firstDie) {
            this.offset = offset;
            this.end = end;
            this.version = version;
            this.dwarf64 = dwarf64;
            this.addressSize = addressSize;
            this.abbrevOffset = abbrevOffset;
            this.firstDie = firstDie;
        }
    }

    record Abbrev(int tag, boolean children, int[] attrs, int[] forms, long[] implicitConst) {
    }

    final ElfFile elf;
    private volatile List<Unit> units;
    private final Map<Long, Map<Long, Abbrev>> abbrevTables = new ConcurrentHashMap<>();
    private final Map<Long, String> names = new ConcurrentHashMap<>();

    /** The range lists of DIEs with DW_AT_ranges. */
    private final RangeLists rangeLists;

    private DebugInfo(ElfFile elf) {
        this.elf = elf;
        this.rangeLists = new RangeLists(this, elf);
    }

    private volatile DieReader dies;

    /** Whole DIEs of this tree (types, variables, locations), read on demand. */
    public DieReader dies() {
        DieReader d = dies;
        if (d == null) {
            synchronized (this) {
                if (dies == null) {
                    dies = new DieReader(this);
                }
                d = dies;
            }
        }
        return d;
    }

    /** The DIE tree of {@code elf} (read lazily; empty lookups if it has no {@code .debug_info}). */
    public static DebugInfo of(ElfFile elf) {
        return new DebugInfo(elf);
    }

    /**
     * The scopes containing link-time {@code address}, outermost first: the function, then any lexical blocks
     * and inlined instances nested in it down to the innermost. Empty when no unit describes the address.
     */
    public List<Scope> scopesAt(long address) {
        for (Unit u : unitsAt(address)) {
            prepare(u);
            if (u.skip || !containsAny(u.ranges, address)) {
                continue;
            }
            List<Scope> chain = new ArrayList<>();
            List<Scope> level = scopes(u);
            for (int depth = 0; depth < MAX_DEPTH; depth++) {
                Scope next = null;
                for (Scope s : level) {
                    if (s.contains(address)) {
                        next = s;
                        break;
                    }
                }
                if (next == null) {
                    break;
                }
                chain.add(next);
                level = next.children;
            }
            if (!chain.isEmpty()) {
                return chain;
            }
        }
        return List.of();
    }

    /**
     * The {@code .debug_line} offset ({@code DW_AT_stmt_list}) of the unit whose ranges contain link-time
     * {@code address}: found through {@code .debug_aranges} where there is one, reading only first DIEs.
     */
    public java.util.OptionalLong stmtListAt(long address) {
        for (Unit u : unitsAt(address)) {
            prepare(u);
            if (!u.skip && u.stmtList >= 0 && containsAny(u.ranges, address)) {
                return java.util.OptionalLong.of(u.stmtList);
            }
        }
        return java.util.OptionalLong.empty();
    }

    /**
     * Whether the unit whose ranges contain link-time {@code address} is assembler source (a {@code .S} file's:
     * glibc's string functions), whose functions have no prologue for a debugger to skip, as gdb takes them.
     */
    public boolean isAssemblyAt(long address) {
        for (Unit u : unitsAt(address)) {
            prepare(u);
            if (!u.skip && containsAny(u.ranges, address)) {
                return u.language == LANG_ASSEMBLER;
            }
        }
        return false;
    }

    /** The inlined instances containing {@code address}, outermost first (see {@link #scopesAt}). */
    public List<Scope> inlinedAt(long address) {
        return scopesAt(address).stream().filter(Scope::isInlined).toList();
    }

    /** The functions of every unit (top-level subprograms with code), for walking their scope trees. */
    public List<Scope> functions() {
        List<Scope> out = new ArrayList<>();
        for (Unit u : units()) {
            prepare(u);
            if (!u.skip) {
                out.addAll(scopes(u));
            }
        }
        return out;
    }

    /** The name of a function or inlined instance: its own, else its abstract origin's or specification's. */
    public Optional<String> name(Scope s) {
        if (s.name != null) {
            return Optional.of(s.name);
        }
        long ref = s.origin;
        for (int hop = 0; hop < MAX_ORIGIN_HOPS && ref >= 0; hop++) {
            String cached = names.get(ref);
            if (cached != null) {
                return cached.isEmpty() ? Optional.empty() : Optional.of(cached);
            }
            Scope target = readDie(ref);
            if (target.name != null) {
                names.put(s.origin, target.name);
                return Optional.of(target.name);
            }
            ref = target.origin;
        }
        names.put(s.origin, "");
        return Optional.empty();
    }

    /** The file of an inlined instance's call site, from its unit's line table file list. */
    public Optional<String> callFile(Scope s, LineTable lines) {
        if (s.callFile < 0 || s.unit.stmtList < 0) {
            return Optional.empty();
        }
        return lines.fileOf(s.unit.stmtList, s.callFile);
    }

    private static boolean containsAny(long[] ranges, long address) {
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            if (Long.compareUnsigned(address, ranges[i]) >= 0 && Long.compareUnsigned(address, ranges[i + 1]) < 0) {
                return true;
            }
        }
        return false;
    }

    ByteReader info() {
        return elf.data(".debug_info").orElseThrow(() -> new SymbolException(elf.name(), ".debug_info", "section missing"));
    }

    List<Unit> units() {
        List<Unit> u = units;
        if (u == null) {
            synchronized (this) {
                u = units;
                if (u == null) {
                    u = elf.data(".debug_info").isPresent() && elf.data(".debug_abbrev").isPresent() ? readUnits(info()) : List.of();
                    units = u;
                }
            }
        }
        return u;
    }

    /** Every unit's header (its first DIE is read by {@link #prepare}, when a lookup may fall in it). */
    private List<Unit> readUnits(ByteReader section) {
        List<Unit> out = new ArrayList<>();
        while (section.remaining() > 0) {
            int start = section.pos();
            UnitLength unitLength = UnitLength.read(section, "unit");
            long length = unitLength.length();
            boolean dwarf64 = unitLength.dwarf64();
            if (length < 2) {
                throw section.error("unit at offset 0x" + Integer.toHexString(start) + " has length 0x" + Long.toHexString(length)
                        + ", past the end of the section");
            }
            long end = section.pos() + length;
            int version = section.u16();
            if (version < 2 || version > 5) {
                section.seek(end); // a unit we cannot read costs its scopes, not the others'
                continue;
            }
            int unitType = 1;
            int addressSize;
            long abbrevOffset;
            if (version >= 5) {
                unitType = section.u8();
                addressSize = section.u8();
                abbrevOffset = dwarf64 ? section.u64() : section.u32();
                if (unitType == 4 || unitType == 5) {
                    section.u64(); // skeleton / split: dwo id
                } else if (unitType == 2 || unitType == 6) {
                    section.u64(); // type signature
                    section.skip(dwarf64 ? 8 : 4);
                }
            } else {
                abbrevOffset = dwarf64 ? section.u64() : section.u32();
                addressSize = section.u8();
            }
            if (addressSize != 4 && addressSize != 8) {
                throw section.error("unit at offset 0x" + Integer.toHexString(start) + " has address size " + addressSize);
            }
            if (section.pos() > end) {
                throw section.error("unit at offset 0x" + Integer.toHexString(start) + " is shorter than its header");
            }
            Unit unit = new Unit(start, end, version, dwarf64, addressSize, abbrevOffset, section.pos());
            unit.skip = unitType != 1 && unitType != 3; // type units have no code
            section.seek(end);
            out.add(unit);
        }
        return out;
    }

    /** Reads the unit's first DIE: the bases of its indexed forms, its line table and its ranges. */
    void prepare(Unit unit) {
        if (unit.prepared) {
            return;
        }
        synchronized (unit) {
            if (unit.prepared) {
                return;
            }
            if (!unit.skip) {
                ByteReader u = info().slice(0, unit.end);
                u.seek(unit.firstDie);
                DieAttrs a = new DieAttrs();
                Abbrev ab = readAttrs(unit, u, a);
                if (ab == null || ab.tag != TAG_COMPILE_UNIT && ab.tag != TAG_PARTIAL_UNIT) {
                    unit.skip = true;
                } else {
                    unit.strOffsetsBase = a.strOffsetsBase >= 0 ? a.strOffsetsBase : unit.strOffsetsBase;
                    unit.addrBase = a.addrBase >= 0 ? a.addrBase : unit.addrBase;
                    unit.rnglistsBase = a.rnglistsBase;
                    unit.stmtList = a.stmtList;
                    unit.language = a.language;
                    unit.baseAddress = a.hasLowPc ? address(unit, a.lowPcForm, a.lowPc) : 0;
                    unit.ranges = ranges(unit, a);
                }
            }
            unit.prepared = true;
        }
    }

    /** Sorted [low, high, unit index, highest high so far] entries from {@code .debug_aranges}; null if it has none. */
    private volatile long[][] aranges;
    /** The units {@code .debug_aranges} does not list: always candidates. */
    private volatile List<Unit> unlisted;

    /**
     * The units that may describe {@code address}: those {@code .debug_aranges} gives for it (plus any it does
     * not list), so that only their first DIEs are read; without {@code .debug_aranges}, every unit.
     */
    private List<Unit> unitsAt(long address) {
        List<Unit> all = units();
        long[][] index = aranges(all);
        if (index == null) {
            return all;
        }
        List<Unit> out = new ArrayList<>();
        int lo = 0;
        int hi = index.length;
        while (lo < hi) { // first entry whose low is past the address
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(index[mid][0], address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        // back over the entries starting at or before it, as long as one of them (or an earlier one) reaches past it
        for (int i = lo - 1; i >= 0 && Long.compareUnsigned(index[i][3], address) > 0; i--) {
            if (Long.compareUnsigned(address, index[i][1]) < 0) {
                Unit u = all.get((int) index[i][2]);
                if (!out.contains(u)) {
                    out.add(u);
                }
            }
        }
        out.addAll(unlisted);
        return out;
    }

    private long[][] aranges(List<Unit> all) {
        long[][] index = aranges;
        if (index != null || elf.data(".debug_aranges").isEmpty()) {
            return index;
        }
        synchronized (this) {
            if (aranges != null) {
                return aranges;
            }
            Map<Long, Integer> unitByOffset = new HashMap<>();
            for (int i = 0; i < all.size(); i++) {
                unitByOffset.put(all.get(i).offset, i);
            }
            boolean[] listed = new boolean[all.size()];
            List<long[]> entries = new ArrayList<>();
            ByteReader section = elf.data(".debug_aranges").get();
            while (section.remaining() > 0) {
                int start = section.pos();
                UnitLength unitLength = UnitLength.read(section, "set");
                long length = unitLength.length();
                boolean dwarf64 = unitLength.dwarf64();
                long end = section.pos() + length;
                ByteReader set = section.slice(0, end);
                set.seek(section.pos());
                section.seek(end);
                set.u16(); // version
                long unitOffset = dwarf64 ? set.u64() : set.u32();
                int addressSize = set.u8();
                set.u8(); // segment selector size
                if (addressSize != 4 && addressSize != 8) {
                    throw set.error("set at offset 0x" + Integer.toHexString(start) + " has address size " + addressSize);
                }
                Integer unit = unitByOffset.get(unitOffset);
                if (unit == null) {
                    throw set.error("set at offset 0x" + Integer.toHexString(start) + " names no unit (0x" + Long.toHexString(unitOffset) + ")");
                }
                listed[unit] = true;
                int tupleSize = 2 * addressSize;
                set.skip((tupleSize - (set.pos() - start) % tupleSize) % tupleSize);
                while (set.pos() + tupleSize <= end) {
                    long low = set.unsigned(addressSize);
                    long size = set.unsigned(addressSize);
                    if (low == 0 && size == 0) {
                        break;
                    }
                    if (size != 0) {
                        entries.add(new long[] {low, low + size, unit, 0});
                    }
                }
            }
            entries.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
            long[][] sorted = entries.toArray(long[][]::new);
            long maxHigh = 0;
            for (long[] e : sorted) {
                maxHigh = Long.compareUnsigned(e[1], maxHigh) > 0 ? e[1] : maxHigh;
                e[3] = maxHigh; // the highest end of this and every earlier entry: where a backward walk may stop
            }
            List<Unit> rest = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (!listed[i] && !all.get(i).skip) {
                    rest.add(all.get(i));
                }
            }
            unlisted = rest;
            aranges = sorted;
            return sorted;
        }
    }

    /** The attributes this reader keeps, of one DIE; forms that index a table are resolved after all are read. */
    private static final class DieAttrs {
        String name;
        boolean hasLinkageName;
        long nameStrx = -1;
        boolean hasLowPc;
        long lowPc;
        int lowPcForm;
        boolean hasHighPc;
        long highPc;
        int highPcForm;
        boolean hasRanges;
        long ranges;
        int rangesForm;
        long origin = -1;
        long callFile = -1;
        int callLine;
        long stmtList = -1;
        int language = -1;
        long strOffsetsBase = -1;
        long addrBase = -1;
        long rnglistsBase = -1;
    }

    /** Reads one DIE's abbreviation code and attributes; null for a null entry (end of siblings). */
    private Abbrev readAttrs(Unit unit, ByteReader u, DieAttrs a) {
        long code = u.uleb128();
        if (code == 0) {
            return null;
        }
        Abbrev ab = abbrevs(unit).get(code);
        if (ab == null) {
            throw u.error("DIE at offset 0x" + Integer.toHexString(u.pos()) + " uses abbreviation " + code
                    + ", not in .debug_abbrev at 0x" + Long.toHexString(unit.abbrevOffset));
        }
        for (int i = 0; i < ab.attrs.length; i++) {
            int attr = ab.attrs[i];
            int form = ab.forms[i];
            if (form == 0x16) { // DW_FORM_indirect
                form = u.ulebInt("indirect form");
                if (form == 0x16) {
                    throw u.error("nested DW_FORM_indirect");
                }
            }
            if (form == 0x21) { // DW_FORM_implicit_const
                store(a, attr, form, ab.implicitConst[i], null, unit);
                continue;
            }
            if (form == 0x08) {
                store(a, attr, form, 0, u.cstring(), unit);
                continue;
            }
            long v = value(unit, u, form);
            store(a, attr, form, v, null, unit);
        }
        if (a.nameStrx >= 0 && a.name == null) {
            a.name = strx(unit, a.nameStrx, u);
        }
        return ab;
    }

    private void store(DieAttrs a, int attr, int form, long v, String s, Unit unit) {
        switch (attr) {
            case AT_NAME, AT_LINKAGE_NAME, AT_MIPS_LINKAGE_NAME -> {
                // the linkage name wins, as in gdb (glibc's read is __libc_read, linked as __GI___libc_read)
                if (attr == AT_NAME && a.hasLinkageName) {
                    break;
                }
                a.hasLinkageName |= attr != AT_NAME;
                a.name = null;
                a.nameStrx = -1;
                if (s != null) {
                    a.name = s;
                } else if (form == 0x0e || form == 0x1f) {
                    a.name = string(form == 0x1f ? ".debug_line_str" : ".debug_str", v);
                } else if (form == 0x1a || form >= 0x25 && form <= 0x28) {
                    a.nameStrx = v;
                }
            }
            case AT_LOW_PC -> {
                a.hasLowPc = true;
                a.lowPc = v;
                a.lowPcForm = form;
            }
            case AT_HIGH_PC -> {
                a.hasHighPc = true;
                a.highPc = v;
                a.highPcForm = form;
            }
            case AT_RANGES -> {
                a.hasRanges = true;
                a.ranges = v;
                a.rangesForm = form;
            }
            case AT_ABSTRACT_ORIGIN, AT_SPECIFICATION -> {
                if (form == 0x10) {
                    a.origin = v; // ref_addr: already absolute
                } else if (form >= 0x11 && form <= 0x15) {
                    a.origin = unit.offset + v;
                }
            }
            case AT_CALL_FILE -> a.callFile = v;
            case AT_CALL_LINE -> a.callLine = (int) Math.min(v, Integer.MAX_VALUE);
            case AT_STMT_LIST -> a.stmtList = v;
            case AT_LANGUAGE -> a.language = (int) v;
            case AT_STR_OFFSETS_BASE -> a.strOffsetsBase = v;
            case AT_ADDR_BASE, AT_GNU_ADDR_BASE -> a.addrBase = v;
            case AT_RNGLISTS_BASE, AT_GNU_RANGES_BASE -> a.rnglistsBase = v;
            default -> {
            }
        }
    }

    /** Reads (or skips) one attribute value as a number: constants, offsets, references, indexes. */
    static long value(Unit unit, ByteReader u, int form) {
        int offsetSize = unit.dwarf64 ? 8 : 4;
        switch (form) {
            case 0x01: return u.unsigned(unit.addressSize);
            case 0x03: u.skip(u.u16()); return 0;
            case 0x04: u.skip(u.u32()); return 0;
            case 0x05: case 0x12: return u.u16();
            case 0x06: case 0x13: return u.u32();
            case 0x07: case 0x14: case 0x20: return u.u64();
            case 0x09: case 0x18: u.skip(u.uleb128()); return 0;
            case 0x0a: u.skip(u.u8()); return 0;
            case 0x0b: case 0x11: case 0x0c: return u.u8();
            case 0x0d: return u.sleb128();
            case 0x0e: case 0x17: case 0x1d: case 0x1f: case 0x1f20: case 0x1f21: return u.unsigned(offsetSize);
            case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: case 0x1f01: case 0x1f02: return u.uleb128();
            case 0x10: return u.unsigned(unit.version <= 2 ? unit.addressSize : offsetSize);
            case 0x19: return 1;
            case 0x1c: return u.u32();
            case 0x1e: u.skip(16); return 0;
            case 0x24: return u.u64();
            case 0x25: case 0x29: return u.u8();
            case 0x26: case 0x2a: return u.u16();
            case 0x27: case 0x2b: return u.unsigned(2) | (long) u.u8() << 16;
            case 0x28: case 0x2c: return u.u32();
            default: throw u.error("unsupported attribute form 0x" + Integer.toHexString(form) + " at offset 0x" + Integer.toHexString(u.pos()));
        }
    }

    String string(String section, long offset) {
        ByteReader s = elf.data(section).orElseThrow(() -> new SymbolException(elf.name(), section, "section missing (needed by .debug_info)"));
        return s.cstringAt(offset);
    }

    String strx(Unit unit, long index, ByteReader where) {
        ByteReader offsets = elf.data(".debug_str_offsets")
                .orElseThrow(() -> new SymbolException(elf.name(), ".debug_str_offsets", "section missing (needed by .debug_info)"));
        int size = unit.dwarf64 ? 8 : 4;
        long at = unit.strOffsetsBase + index * size;
        if (index < 0 || index > Integer.MAX_VALUE || at < 0 || at > offsets.size() - size) {
            throw where.error("string index " + index + " outside .debug_str_offsets");
        }
        offsets.seek(at);
        return string(".debug_str", offsets.unsigned(size));
    }

    long address(Unit unit, int form, long v) {
        if (form == 0x1b || form >= 0x29 && form <= 0x2c || form == 0x1f01) { // addrx
            ByteReader addr = elf.data(".debug_addr")
                    .orElseThrow(() -> new SymbolException(elf.name(), ".debug_addr", "section missing (needed by .debug_info)"));
            long at = unit.addrBase + v * unit.addressSize;
            if (v < 0 || v > Integer.MAX_VALUE || at < 0 || at > addr.size() - unit.addressSize) {
                throw addr.error("address index " + v + " outside the section");
            }
            addr.seek(at);
            return addr.unsigned(unit.addressSize);
        }
        return v;
    }

    /** A DIE's ranges: [low_pc, high_pc) or its range list; empty if it has neither. */
    private long[] ranges(Unit unit, DieAttrs a) {
        if (a.hasRanges) {
            return unit.version >= 5 ? rangeLists.rnglist(unit, a.rangesForm, a.ranges) : rangeLists.debugRanges(unit, a.ranges);
        }
        if (a.hasLowPc && a.hasHighPc) {
            long low = address(unit, a.lowPcForm, a.lowPc);
            boolean offset = a.highPcForm != 0x01 && a.highPcForm != 0x1b && !(a.highPcForm >= 0x29 && a.highPcForm <= 0x2c);
            long high = offset ? low + a.highPc : address(unit, a.highPcForm, a.highPc);
            return Long.compareUnsigned(high, low) > 0 ? new long[] {low, high} : new long[0];
        }
        return new long[0];
    }

    static long[] toArray(List<Long> l) {
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    Map<Long, Abbrev> abbrevs(Unit unit) {
        Map<Long, Abbrev> t = abbrevTables.get(unit.abbrevOffset);
        if (t == null) {
            t = readAbbrevs(unit.abbrevOffset);
            abbrevTables.put(unit.abbrevOffset, t);
        }
        return t;
    }

    private Map<Long, Abbrev> readAbbrevs(long offset) {
        ByteReader ab = elf.data(".debug_abbrev").orElseThrow(() -> new SymbolException(elf.name(), ".debug_abbrev", "section missing"));
        if (offset < 0 || offset >= ab.size()) {
            throw ab.error("abbreviation table offset 0x" + Long.toHexString(offset) + " outside the section");
        }
        ab.seek(offset);
        Map<Long, Abbrev> out = new HashMap<>();
        while (ab.remaining() > 0) {
            long code = ab.uleb128();
            if (code == 0) {
                break;
            }
            int tag = ab.ulebInt("tag");
            boolean children = ab.u8() != 0;
            List<int[]> specs = new ArrayList<>();
            List<Long> consts = new ArrayList<>();
            for (;;) {
                int attr = ab.ulebInt("attribute");
                int form = ab.ulebInt("form");
                long c = form == 0x21 ? ab.sleb128() : 0;
                if (attr == 0 && form == 0) {
                    break;
                }
                specs.add(new int[] {attr, form});
                consts.add(c);
            }
            int[] attrs = specs.stream().mapToInt(s -> s[0]).toArray();
            int[] forms = specs.stream().mapToInt(s -> s[1]).toArray();
            out.put(code, new Abbrev(tag, children, attrs, forms, toArray(consts)));
        }
        return out;
    }

    Unit unitAt(long dieOffset) {
        for (Unit u : units()) {
            if (dieOffset >= u.firstDie && dieOffset < u.end) {
                return u;
            }
        }
        throw info().error("reference to 0x" + Long.toHexString(dieOffset) + " outside every unit");
    }

    /** The one DIE at an absolute offset (an abstract origin), as a scope with its name and origin. */
    private Scope readDie(long dieOffset) {
        Unit unit = unitAt(dieOffset);
        prepare(unit); // its string and address bases
        ByteReader u = info().slice(0, unit.end);
        u.seek(dieOffset);
        DieAttrs a = new DieAttrs();
        Abbrev ab = readAttrs(unit, u, a);
        Scope s = new Scope(ab == null ? 0 : ab.tag, dieOffset);
        s.name = a.name;
        s.origin = a.origin == dieOffset ? -1 : a.origin;
        s.unit = unit;
        return s;
    }

    /** DIEs that become local symbols in gdb: variables, parameters, labels, constants, local types. */
    private static boolean declaresSymbol(int tag) {
        return switch (tag) {
            case 0x34, 0x05, 0x0a, 0x27, 0x16, 0x13, 0x17, 0x04 -> true;
            default -> false;
        };
    }

    /** The unit's functions, each with its nested blocks and inlined instances; read once. */
    private List<Scope> scopes(Unit unit) {
        List<Scope> s = unit.scopes;
        if (s == null) {
            s = readScopes(unit);
            unit.scopes = s;
        }
        return s;
    }

    private List<Scope> readScopes(Unit unit) {
        ByteReader u = info().slice(0, unit.end);
        u.seek(unit.firstDie);
        List<Scope> top = new ArrayList<>();
        // the innermost kept scope at each depth of the DIE tree (null: no kept scope encloses it)
        Scope[] enclosing = new Scope[MAX_DEPTH + 1];
        // the scope made by the parent DIE itself at each depth (null if the parent DIE made none)
        Scope[] own = new Scope[MAX_DEPTH + 1];
        int depth = 0;
        while (u.remaining() > 0) {
            long dieOffset = u.pos();
            DieAttrs a = new DieAttrs();
            Abbrev ab = readAttrs(unit, u, a);
            if (ab == null) {
                if (depth == 0) {
                    break; // the end of the unit DIE's children
                }
                depth--;
                continue;
            }
            Scope parent = depth == 0 ? null : enclosing[depth];
            if (depth > 0 && own[depth] != null && declaresSymbol(ab.tag)) {
                own[depth].hasSymbols = true;
            }
            Scope kept = parent;
            Scope made = null;
            if (ab.tag == TAG_SUBPROGRAM || ab.tag == TAG_INLINED_SUBROUTINE || ab.tag == TAG_LEXICAL_BLOCK) {
                long[] r = ranges(unit, a);
                if (r.length > 0) {
                    Scope s = new Scope(ab.tag, dieOffset);
                    s.ranges = r;
                    s.name = a.name;
                    s.origin = a.origin;
                    s.callFile = a.callFile;
                    s.callLine = a.callLine;
                    s.unit = unit;
                    if (parent == null) {
                        top.add(s);
                    } else {
                        parent.children.add(s);
                    }
                    kept = s;
                    made = s;
                }
            }
            if (ab.children) {
                if (depth == MAX_DEPTH) {
                    throw u.error("DIE tree nested deeper than " + MAX_DEPTH + " levels at offset 0x" + Long.toHexString(dieOffset));
                }
                depth++;
                enclosing[depth] = ab.tag == TAG_COMPILE_UNIT || ab.tag == TAG_PARTIAL_UNIT ? null : kept;
                own[depth] = made;
            }
        }
        return top;
    }
}
