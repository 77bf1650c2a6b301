package dev.multitrace.symbols.unwind;

import java.util.List;

/**
 * Where a variable's value is, as a DWARF location expression describes it (see
 * {@link DwarfExpression#locate}): one piece for an ordinary variable, several for one split by the
 * optimizer ({@code DW_OP_piece}). A piece is in memory at an address, in a register, a computed value
 * ({@code DW_OP_stack_value}), constant bytes ({@code DW_OP_implicit_value}), or gone (optimized out).
 */
public record Location(List<Piece> pieces) {

    public enum Kind {
        MEMORY, REGISTER, VALUE, IMPLICIT, OPTIMIZED_OUT
    }

    /**
     * @param value the address (MEMORY), DWARF register number (REGISTER) or the value (VALUE)
     * @param bytes the constant bytes of an IMPLICIT piece (else null)
     * @param size  bytes this piece covers; -1 for a location of one piece (the whole variable)
     */
    public record Piece(Kind kind, long value, byte[] bytes, int size) {
    }

    public static Location optimizedOut() {
        return new Location(List.of(new Piece(Kind.OPTIMIZED_OUT, 0, null, -1)));
    }

    /** A single piece in memory at {@code address}. */
    public static Location memory(long address) {
        return new Location(List.of(new Piece(Kind.MEMORY, address, null, -1)));
    }

    /** The address of a location wholly in memory, or -1. */
    public long address() {
        return pieces.size() == 1 && pieces.get(0).kind() == Kind.MEMORY ? pieces.get(0).value() : -1;
    }

    public boolean isOptimizedOut() {
        return pieces.stream().allMatch(p -> p.kind() == Kind.OPTIMIZED_OUT);
    }
}
