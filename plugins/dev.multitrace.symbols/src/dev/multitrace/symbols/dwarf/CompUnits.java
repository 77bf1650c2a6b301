package dev.multitrace.symbols.dwarf;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.multitrace.symbols.elf.SymbolException;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.elf.ElfFile;

/**
 * Reads just the first DIE of each compilation unit in {@code .debug_info} for its {@code DW_AT_stmt_list}
 * and {@code DW_AT_comp_dir}: DWARF 4 line tables leave the compilation directory out.
 */
final class CompUnits {

    private static final int DW_AT_stmt_list = 0x10;
    private static final int DW_AT_comp_dir = 0x1b;

    private CompUnits() {
    }

    /** .debug_line offset -> compilation directory, for every unit that names both. */
    static Map<Long, String> compDirsByStmtList(ElfFile elf) {
        Map<Long, String> out = new HashMap<>();
        Optional<ByteReader> info = elf.data(".debug_info");
        Optional<ByteReader> abbrev = elf.data(".debug_abbrev");
        if (info.isEmpty() || abbrev.isEmpty()) {
            return out;
        }
        ByteReader section = info.get();
        while (section.remaining() > 0) {
            int start = section.pos();
            UnitLength unitLength = UnitLength.read(section, "unit");
            long length = unitLength.length();
            boolean dwarf64 = unitLength.dwarf64();
            ByteReader u = section.slice(section.pos(), length, section.section() + " (unit at 0x" + Integer.toHexString(start) + ")");
            section.skip(length);
            int version = u.u16();
            if (version < 2 || version > 5) {
                continue; // not a unit we can read: the line tables still work without its comp_dir
            }
            long abbrevOffset;
            int addressSize;
            int unitType = 1;
            if (version >= 5) {
                unitType = u.u8();
                addressSize = u.u8();
                abbrevOffset = dwarf64 ? u.u64() : u.u32();
                if (unitType == 4 || unitType == 5) {
                    u.u64();
                } else if (unitType == 2 || unitType == 6) {
                    u.u64();
                    u.skip(dwarf64 ? 8 : 4);
                }
            } else {
                abbrevOffset = dwarf64 ? u.u64() : u.u32();
                addressSize = u.u8();
            }
            if (unitType != 1 && unitType != 3 && unitType != 4) {
                continue;
            }
            long code = u.uleb128();
            if (code == 0) {
                continue;
            }
            ByteReader ab = abbrev.get();
            ab.seek(abbrevOffset);
            if (!findAbbrev(ab, code)) {
                throw u.error("abbreviation " + code + " not found in .debug_abbrev at 0x" + Long.toHexString(abbrevOffset));
            }
            Long stmtList = null;
            String compDir = null;
            for (;;) {
                int attr = ab.ulebInt("attribute");
                int form = ab.ulebInt("form");
                if (form == 0x21) {
                    ab.sleb128();
                }
                if (attr == 0 && form == 0) {
                    break;
                }
                Object v = value(elf, u, form, dwarf64, addressSize, version, 0);
                if (attr == DW_AT_stmt_list && v instanceof Long l) {
                    stmtList = l;
                } else if (attr == DW_AT_comp_dir && v instanceof String s) {
                    compDir = s;
                }
            }
            if (stmtList != null && compDir != null) {
                out.put(stmtList, compDir);
            }
        }
        return out;
    }

    private static boolean findAbbrev(ByteReader ab, long code) {
        while (ab.remaining() > 0) {
            long c = ab.uleb128();
            if (c == 0) {
                return false;
            }
            ab.uleb128(); // tag
            ab.u8(); // children
            if (c == code) {
                return true;
            }
            for (;;) {
                long attr = ab.uleb128();
                long form = ab.uleb128();
                if (form == 0x21) {
                    ab.sleb128();
                }
                if (attr == 0 && form == 0) {
                    break;
                }
            }
        }
        return false;
    }

    /** Reads (or skips) one attribute value: strings and constants/offsets are returned, others null. */
    private static Object value(ElfFile elf, ByteReader u, int form, boolean dwarf64, int addressSize, int version, int depth) {
        int offsetSize = dwarf64 ? 8 : 4;
        switch (form) {
            case 0x01: return u.unsigned(addressSize);
            case 0x03: u.skip(u.u16()); return null;
            case 0x04: u.skip(u.u32()); return null;
            case 0x05: return (long) u.u16();
            case 0x06: return u.u32();
            case 0x07: return u.u64();
            case 0x08: return u.cstring();
            case 0x09: case 0x18: u.skip(u.uleb128()); return null;
            case 0x0a: u.skip(u.u8()); return null;
            case 0x0b: return (long) u.u8();
            case 0x0c: u.u8(); return null;
            case 0x0d: return u.sleb128();
            case 0x0e: return strp(elf, ".debug_str", u.unsigned(offsetSize));
            case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: case 0x1f01: case 0x1f02: return u.uleb128();
            case 0x10: return u.unsigned(version <= 2 ? addressSize : offsetSize);
            case 0x11: return (long) u.u8();
            case 0x12: return (long) u.u16();
            case 0x13: case 0x1c: return u.u32();
            case 0x14: case 0x20: case 0x24: return u.u64();
            case 0x16:
                if (depth > 4) {
                    throw u.error("nested DW_FORM_indirect");
                }
                return value(elf, u, u.ulebInt("form"), dwarf64, addressSize, version, depth + 1);
            case 0x17: case 0x1d: case 0x1f20: case 0x1f21: return u.unsigned(offsetSize);
            case 0x19: case 0x21: return null;
            case 0x1e: u.skip(16); return null;
            case 0x1f: return strp(elf, ".debug_line_str", u.unsigned(offsetSize));
            case 0x25: case 0x29: return (long) u.u8();
            case 0x26: case 0x2a: return (long) u.u16();
            case 0x27: case 0x2b: u.skip(3); return null;
            case 0x28: case 0x2c: return u.u32();
            default: throw u.error("unsupported attribute form 0x" + Integer.toHexString(form));
        }
    }

    private static String strp(ElfFile elf, String section, long offset) {
        ByteReader s = elf.data(section).orElseThrow(() -> new SymbolException(elf.name(), section, "section missing (needed by .debug_info)"));
        return s.cstringAt(offset);
    }
}
