package dev.multitrace.symbols.dwarf;

/**
 * One row of a DWARF line table: the link-time address, the source position and the flags the line
 * program set for it. {@code endSequence} rows mark the first address after a sequence (no code there).
 */
public record LineRow(long address, String file, int line, int column, boolean isStmt, boolean prologueEnd, boolean epilogueBegin,
        boolean endSequence, int discriminator) {

    @Override
    public String toString() {
        return "0x" + Long.toHexString(address) + " " + file + ":" + line + (column != 0 ? ":" + column : "") + (isStmt ? " stmt" : "")
                + (prologueEnd ? " prologue_end" : "") + (endSequence ? " end_sequence" : "");
    }
}
