package dev.multitrace.symbols.unwind;

import java.util.Optional;

import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.elf.SymbolMatch;

/**
 * One frame of a call stack, innermost first (level 0).
 *
 * @param level       0 for the innermost frame
 * @param pc          the frame's program counter: where it stopped (level 0, or the frame interrupted by a
 *                    signal) or the return address into it (other frames)
 * @param cfa         the canonical frame address (the caller's rsp before the call instruction), or 0 if no CFI
 *                    or frame pointer gave one
 * @param function    the function containing the pc (return addresses are looked up at pc - 1, so a call
 *                    at the very end of a function still names the caller)
 * @param line        the source line, from the line table, of the same lookup address
 * @param module      the file mapped at pc
 * @param signalFrame this frame is the signal trampoline ({@code __restore_rt}): the next frame was
 *                    interrupted by a signal (gdb's {@code <signal handler called>})
 * @param method      how this frame's registers were recovered
 * @param registers   this frame's registers (unknown where the unwind rules did not say)
 * @param inlinedFunction present for a frame of a function inlined at pc (as gdb shows them: the innermost
 *                    inlined function first, with the pc's line, then each function it was inlined into, with
 *                    the line of the inlined call, down to the real frame); such a frame shares pc, cfa and
 *                    registers with the real frame below it, and {@code function} is the real function
 */
public record Frame(int level, long pc, long cfa, Optional<SymbolMatch> function, Optional<LineRow> line, Optional<String> module, boolean signalFrame,
        UnwindMethod method, Registers registers, Optional<String> inlinedFunction) {

    /** A frame of a real (not inlined) function. */
    public Frame(int level, long pc, long cfa, Optional<SymbolMatch> function, Optional<LineRow> line, Optional<String> module, boolean signalFrame,
            UnwindMethod method, Registers registers) {
        this(level, pc, cfa, function, line, module, signalFrame, method, registers, Optional.empty());
    }

    /** This frame is a function inlined at pc into the next frame's function. */
    public boolean inlined() {
        return inlinedFunction.isPresent();
    }

    /** The function name (the inlined function's, for an inlined frame) or {@code ??}. */
    public String functionName() {
        return inlinedFunction.orElseGet(() -> function.map(SymbolMatch::name).orElse("??"));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("#").append(level).append(" 0x").append(Long.toHexString(pc)).append(' ');
        b.append(signalFrame ? "<signal handler called>"
                : inlinedFunction.map(n -> n + " [inlined]").orElseGet(() -> function.map(SymbolMatch::toString).orElse("??")));
        line.ifPresent(l -> b.append(" at ").append(l.file()).append(':').append(l.line()));
        return b.append(" [").append(method).append(']').toString();
    }
}
