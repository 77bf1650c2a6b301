package dev.multitrace.debug.core.model;

/**
 * Where a register's value lives: a general register by name, one bit of eflags, or a range of
 * the FP/SSE save area (fxsave layout) or of the XSAVE area (the upper halves of the YMM registers).
 */
sealed interface RegisterKind {

    /** A general register ({@code rax}, {@code eflags}, {@code cs}, {@code fs_base}...). */
    record General(String name) implements RegisterKind {
    }

    /** One bit of eflags. */
    record Flag(int bit) implements RegisterKind {
    }

    /** {@code length} bytes at {@code offset} of the 512-byte fxsave area. */
    record FpArea(int offset, int length) implements RegisterKind {
    }

    /** YMM register {@code index}: the XMM low half from fxsave, the high half from XSAVE's YMM_Hi128 component. */
    record Ymm(int index) implements RegisterKind {
    }
}
