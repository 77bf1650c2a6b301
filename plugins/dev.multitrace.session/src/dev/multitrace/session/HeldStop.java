package dev.multitrace.session;

import dev.multitrace.core.Examination;
import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the session has read of one held thread at one stop: its examination, the unwound stack and each
 * frame's variables. The views ask again and again at a stop (the Debug view the frames, then each frame's
 * data; the Variables view a frame's scope per variable); the stack is walked once for all of them, as
 * DSF-GDB's command cache answers them once per stop.
 * <p>
 * Valid while the examination is (the thread has not resumed) and no write was made through any
 * examination of the process since the stack was walked ({@link Examination#modifications()}): a changed
 * register or stack slot makes the next question walk again. Called from any thread (DSF's executor, the
 * platform model's jobs), hence synchronized; the walk runs under the lock, so concurrent askers wait for
 * one walk instead of making two.
 */
final class HeldStop {

    private final Examination examination;
    private final SessionSymbols symbols;
    private final MemoryReader memory;
    private long walkedAt = -1;
    /** The unwinder's frames, with the vector registers (variables at -O2 live in xmm). */
    private List<Frame> unwound;
    private List<FrameInfo> frames;
    private final Map<Integer, FrameVariables> variables = new HashMap<>();

    HeldStop(Examination examination, SessionSymbols symbols) {
        this.examination = examination;
        this.symbols = symbols;
        this.memory = Examinations.memory(examination);
    }

    Examination examination() {
        return examination;
    }

    /** Whether the thread is still at the stop this was made for. */
    boolean valid() {
        return examination.valid();
    }

    synchronized List<FrameInfo> frames() {
        walk();
        if (frames == null) {
            frames = new FrameWalker(symbols, memory).describe(unwound);
        }
        return frames;
    }

    /** The unwinder's frames (each with the registers it recovered). */
    synchronized List<Frame> unwound() {
        walk();
        return unwound;
    }

    /** @throws IllegalArgumentException if the stack has no frame {@code level} */
    synchronized FrameVariables variables(int level) {
        walk();
        return variables.computeIfAbsent(level, l -> FrameVariables.of(examination, symbols, memory, unwound, l));
    }

    /** Walks the stack if it was not walked since the last write (or ever). */
    private void walk() {
        long now = examination.modifications();
        if (unwound != null && walkedAt == now) {
            return;
        }
        Registers regs = Registers.fromUserRegs(GeneralRegisters.read(examination).values());
        try {
            byte[] fx = examination.fpRegisters();
            regs = regs.withVectors(Arrays.copyOfRange(fx, FXSAVE_XMM, FXSAVE_XMM + Registers.XMM_COUNT * 16));
        } catch (RuntimeException e) {
            // without them a variable kept in an SSE register reads as <optimized out>; the rest is unaffected
        }
        unwound = new Unwinder(symbols.current()).unwind(regs, memory, FrameWalker.MAX_FRAMES);
        frames = null;
        variables.clear();
        walkedAt = now;
    }

    /** Where xmm0 starts in the fxsave area. */
    private static final int FXSAVE_XMM = 160;
}
