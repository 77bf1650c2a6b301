package dev.multitrace.symbols.dwarf;

import java.util.ArrayList;
import java.util.List;

import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;
import dev.multitrace.symbols.elf.SymbolException;

/**
 * The address ranges of a DIE with {@code DW_AT_ranges}, as [low, high) pairs: DWARF 2-4's
 * {@code .debug_ranges} and DWARF 5's {@code .debug_rnglists} (offsets or rnglistx indexes, every
 * entry kind). Part of {@link DebugInfo}, which owns the units; thread-safe as it is (each call
 * reads the sections through its own reader position).
 */
final class RangeLists {

    private final DebugInfo info;
    private final ElfFile elf;

    RangeLists(DebugInfo info, ElfFile elf) {
        this.info = info;
        this.elf = elf;
    }

    /** DWARF 2-4 {@code .debug_ranges}: pairs relative to the unit's base, (-1, base) selects a new base. */
    long[] debugRanges(DebugInfo.Unit unit, long offset) {
        ByteReader r = elf.data(".debug_ranges").orElseThrow(() -> new SymbolException(elf.name(), ".debug_ranges", "section missing (needed by .debug_info)"));
        if (offset < 0 || offset >= r.size()) {
            throw r.error("range list offset 0x" + Long.toHexString(offset) + " outside the section");
        }
        r.seek(offset);
        long base = unit.baseAddress;
        long max = unit.addressSize == 8 ? -1L : 0xffffffffL;
        List<Long> out = new ArrayList<>();
        for (;;) {
            long start = r.unsigned(unit.addressSize);
            long end = r.unsigned(unit.addressSize);
            if (start == 0 && end == 0) {
                break;
            }
            if (start == max) {
                base = end;
                continue;
            }
            add(out, base + start, base + end);
        }
        return DebugInfo.toArray(out);
    }

    /** DWARF 5 {@code .debug_rnglists}: an offset, or an index into the unit's offset table (rnglistx). */
    long[] rnglist(DebugInfo.Unit unit, int form, long v) {
        ByteReader r = elf.data(".debug_rnglists")
                .orElseThrow(() -> new SymbolException(elf.name(), ".debug_rnglists", "section missing (needed by .debug_info)"));
        long offset = v;
        if (form == 0x23) { // rnglistx
            int size = unit.dwarf64 ? 8 : 4;
            long base = unit.rnglistsBase >= 0 ? unit.rnglistsBase : 12;
            long at = base + v * size;
            if (v < 0 || v > Integer.MAX_VALUE || at < 0 || at > r.size() - size) {
                throw r.error("range list index " + v + " outside the section");
            }
            r.seek(at);
            offset = base + r.unsigned(size);
        }
        if (offset < 0 || offset >= r.size()) {
            throw r.error("range list offset 0x" + Long.toHexString(offset) + " outside the section");
        }
        r.seek(offset);
        long base = unit.baseAddress;
        List<Long> out = new ArrayList<>();
        for (;;) {
            int kind = r.u8();
            switch (kind) {
                case 0: return DebugInfo.toArray(out); // end_of_list
                case 1: base = info.address(unit, 0x1b, r.uleb128()); break; // base_addressx
                case 2: { long s = info.address(unit, 0x1b, r.uleb128()); add(out, s, info.address(unit, 0x1b, r.uleb128())); break; }
                case 3: { long s = info.address(unit, 0x1b, r.uleb128()); add(out, s, s + r.uleb128()); break; }
                case 4: { long s = r.uleb128(); add(out, base + s, base + r.uleb128()); break; }
                case 5: base = r.unsigned(unit.addressSize); break;
                case 6: { long s = r.unsigned(unit.addressSize); add(out, s, r.unsigned(unit.addressSize)); break; }
                case 7: { long s = r.unsigned(unit.addressSize); add(out, s, s + r.uleb128()); break; }
                default: throw r.error("unknown range list entry kind " + kind + " at offset 0x" + Integer.toHexString(r.pos() - 1));
            }
        }
    }

    private static void add(List<Long> out, long low, long high) {
        if (Long.compareUnsigned(high, low) > 0) {
            out.add(low);
            out.add(high);
        }
    }
}
