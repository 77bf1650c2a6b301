package dev.multitrace.session;

import dev.multitrace.core.Instruction;

import java.util.Optional;

/**
 * An instruction of the traced program with what the symbols say about its address.
 *
 * @param instruction the decoded instruction (the program's own bytes, never a breakpoint's int3)
 * @param function    the function it is in, if a symbol covers it
 * @param source      the line-table row covering it, if any
 */
public record DisassembledInstruction(Instruction instruction, Optional<FunctionInfo> function, Optional<SourcePosition> source) {

    public long address() {
        return instruction.address();
    }

    /** Its offset in its function (0 without one). */
    public long offset() {
        return function.map(f -> instruction.address() - f.start()).orElse(0L);
    }
}
