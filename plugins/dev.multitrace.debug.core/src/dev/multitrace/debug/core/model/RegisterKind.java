package dev.multitrace.debug.core.model;

import dev.multitrace.core.XState;

/**
 * Where a register's value lives: a general register by name, one bit of eflags, a range of the
 * FP/SSE save area (fxsave layout) or of an XSAVE state component, or a vector register whose
 * parts are in several of them (YMM, ZMM).
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

    /**
     * ZMM register {@code index} (0-31). zmm0-15: bits 0-127 are xmm (fxsave), 128-255 the AVX
     * component, 256-511 the ZMM_Hi256 component; zmm16-31: all 512 bits in Hi16_ZMM.
     */
    record Zmm(int index) implements RegisterKind {
    }

    /** {@code length} bytes at {@code offset} within XSAVE state component {@code component} (k0-7, pkru). */
    record XStateBytes(XState.Component component, int offset, int length) implements RegisterKind {
    }
}
