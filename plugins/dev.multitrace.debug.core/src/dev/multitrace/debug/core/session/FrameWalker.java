package dev.multitrace.debug.core.session;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.MemoryReader;
import dev.multitrace.symbols.unwind.Registers;
import dev.multitrace.symbols.unwind.Unwinder;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a stopped thread's call stack with the symbol layer's {@link Unwinder} (CFI from
 * {@code .eh_frame}/{@code .debug_frame}, signal frames, the frame pointer where no CFI covers a
 * pc), and names each frame's function and line with the session's symbols.
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

    public List<FrameInfo> walk(GeneralRegisters regs) {
        List<Frame> frames = new Unwinder(symbols.current()).unwind(Registers.fromUserRegs(regs.values()), memory, MAX_FRAMES);
        List<FrameInfo> out = new ArrayList<>(frames.size());
        boolean interrupted = true; // the innermost frame, and a frame below a signal frame, stopped at pc itself
        for (Frame f : frames) {
            long lookup = interrupted ? f.pc() : f.pc() - 1;
            out.add(new FrameInfo(f.level(), f.pc(), f.cfa(), symbols.functionAt(lookup), symbols.lineAt(lookup),
                    f.signalFrame()));
            interrupted = f.signalFrame();
        }
        return out;
    }
}
