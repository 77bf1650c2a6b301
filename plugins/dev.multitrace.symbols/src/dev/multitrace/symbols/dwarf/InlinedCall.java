package dev.multitrace.symbols.dwarf;

import java.util.Optional;

/**
 * A function inlined at some address: its name (from the abstract origin of its
 * {@code DW_TAG_inlined_subroutine}) and the source position of the call it replaces.
 *
 * @param function the inlined function's name, {@code ??} if the DIE tree gives none
 * @param callFile the file of the call site
 * @param callLine the line of the call site, 0 if not given
 */
public record InlinedCall(String function, Optional<String> callFile, int callLine) {
}
