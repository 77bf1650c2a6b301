package dev.multitrace.session;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.unwind.Unwinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds a stopped thread's call stack with the symbol layer's {@link Unwinder} (CFI from
 * {@code .eh_frame}/{@code .debug_frame}, signal frames, the frame pointer where no CFI covers a
 * pc), and names each frame's function and line with the session's symbols. Functions inlined at a pc are
 * frames of their own, as in gdb: the innermost with the pc's line, the outer ones with the inlined call's line.
 */
public final class FrameWalker {

    /** Deeper stacks are cut (a corrupt stack must not make a view wait). */
    public static final int MAX_FRAMES = 256;

    private final SessionSymbols symbols;
    private final MemoryReader memory;

    /** @param memory the thread's memory (through an examination, so breakpoint bytes are hidden) */
    public FrameWalker(SessionSymbols symbols, MemoryReader memory) {
        this.symbols = symbols;
        this.memory = memory;
    }

    /**
     * The registers of frame {@code level} (numbered as {@link #walk} numbers them), by name ({@code rax}...
     * {@code r15}, {@code rip}): for the innermost frame every general register; for an outer frame those the
     * unwinder recovered (rip and rsp, and each register its CFI or frame-pointer rule restores). Empty if the
     * stack has no such frame. {@code frames} is the unwinder's stack from {@code regs}.
     */
    static java.util.Map<String, Long> registers(GeneralRegisters regs, List<Frame> frames, int level) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        if (level == 0) {
            for (int i = 0; i < regs.names().size(); i++) {
                out.put(regs.names().get(i), regs.values()[i]);
            }
            return out;
        }
        if (level < 0 || level >= frames.size()) {
            return out;
        }
        return known(frames.get(level).registers());
    }

    /** The registers an unwound frame (or a core's thread) knows, by name, in the unwinder's order. */
    static java.util.Map<String, Long> known(Registers r) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < Registers.COUNT; i++) {
            if (r.isKnown(i)) {
                out.put(Registers.name(i), r.value(i));
            }
        }
        return out;
    }

    public List<FrameInfo> walk(GeneralRegisters regs) {
        return describe(new Unwinder(symbols.current()).unwind(Registers.fromUserRegs(regs.values()), memory, MAX_FRAMES));
    }

    /** The unwinder's frames named with the session's symbols: function, source line. */
    List<FrameInfo> describe(List<Frame> frames) {
        List<FrameInfo> out = new ArrayList<>(frames.size());
        boolean interrupted = true; // the innermost frame, and a frame below a signal frame, stopped at pc itself
        boolean innermostAtPc = true; // the first frame at this pc (the innermost inlined one, if any)
        for (Frame f : frames) {
            long lookup = interrupted ? f.pc() : f.pc() - 1;
            Optional<FunctionInfo> function = symbols.functionAt(lookup);
            Optional<SourcePosition> source = symbols.lineAt(lookup);
            if (f.inlined()) {
                function = function.map(real -> new FunctionInfo(f.functionName(), real.start(), real.size()));
            }
            if (!innermostAtPc) {
                // below an inlined frame the position is the inlined call's line; the row bounds stay the pc's row
                source = f.line().flatMap(l -> symbols.lineAt(lookup)
                        .map(row -> new SourcePosition(l.file(), l.line(), row.rowStart(), row.rowEnd(), row.statement())));
            }
            out.add(new FrameInfo(f.level(), f.pc(), f.cfa(), function, source, f.signalFrame(), f.inlined()));
            if (!f.inlined() && function.filter(fn -> fn.name().equals("main")).isPresent()) {
                break; // gdb's "backtrace past-main off": the C library's frames below main are not the program's
            }
            innermostAtPc = !f.inlined();
            if (!f.inlined()) {
                interrupted = f.signalFrame(); // frames at the same pc share the lookup address
            }
        }
        return out;
    }
}
