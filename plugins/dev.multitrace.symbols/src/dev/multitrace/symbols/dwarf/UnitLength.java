package dev.multitrace.symbols.dwarf;

import dev.multitrace.symbols.elf.ByteReader;

/**
 * The initial length that starts every unit of {@code .debug_info}, {@code .debug_line},
 * {@code .debug_aranges} and every CIE and FDE of {@code .debug_frame} / {@code .eh_frame}: 32 bits,
 * or 0xffffffff then 64 bits for the 64-bit DWARF format (whose offsets in the unit are 64 bits too,
 * hence {@code dwarf64}).
 */
public record UnitLength(long length, boolean dwarf64) {

    /**
     * Reads the initial length at the reader's position and checks that the unit fits in what is left.
     *
     * @param what names the unit in errors ({@code "unit"}, {@code "set"}, {@code "CIE"})
     * @throws dev.multitrace.symbols.elf.SymbolException for a reserved length or a unit past the end
     */
    public static UnitLength read(ByteReader section, String what) {
        int start = section.pos();
        long length = section.u32();
        boolean dwarf64 = false;
        if (length == 0xffffffffL) {
            length = section.u64();
            dwarf64 = true;
        } else if (length >= 0xfffffff0L) {
            throw section.error("reserved unit length 0x" + Long.toHexString(length) + " at offset 0x" + Integer.toHexString(start));
        }
        if (length < 0 || length > section.remaining()) {
            throw section.error(what + " at offset 0x" + Integer.toHexString(start) + " has length 0x" + Long.toHexString(length)
                    + ", past the end of the section");
        }
        return new UnitLength(length, dwarf64);
    }
}
