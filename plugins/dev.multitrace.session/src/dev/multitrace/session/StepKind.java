package dev.multitrace.session;

/** The steps the debugger offers: source-line steps (over the DWARF line table) and one instruction. */
public enum StepKind {
    /** To the next line, entering calls that have line information. */
    INTO,
    /** To the next line of this frame (or its caller), running calls to their return. */
    OVER,
    /** Until this frame returns to its caller. */
    RETURN,
    /** One machine instruction. */
    INSTRUCTION,
    /** One machine instruction, running calls to their return. */
    INSTRUCTION_OVER
}
