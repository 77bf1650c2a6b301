package dev.multitrace.symbols.unwind;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.LoadMap;
import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.SymbolException;
import dev.multitrace.symbols.dwarf.InlinedCall;
import dev.multitrace.symbols.dwarf.LineRow;
import dev.multitrace.symbols.elf.SymbolMatch;

/**
 * Walks a thread's call stack from its registers: with the call frame information of the module at each
 * pc ({@code .eh_frame}, else {@code .debug_frame}, see {@link CallFrameInfo}), through signal frames
 * (the CFI of glibc's {@code __restore_rt}, whose CIE has the {@code S} augmentation, or, without CFI, the
 * trampoline's {@code mov $15,%rax; syscall} bytes and the ucontext it leaves on the stack), and with the
 * frame pointer where no CFI covers a pc. Stops at the outermost frame: the return address column is
 * undefined ({@code _start}, thread start), the return address is 0 or unreadable, or the stack does
 * not grow towards the caller. Immutable and thread-safe; CFI is parsed lazily and cached per build-id.
 */
public final class Unwinder {

    /** Frames returned at most, so a corrupt stack cannot loop for long. */
    public static final int MAX_FRAMES = 1024;

    /** glibc's x86-64 {@code __restore_rt}: {@code mov $0xf,%rax; syscall} (rt_sigreturn). */
    private static final byte[] RESTORE_RT = {0x48, (byte) 0xc7, (byte) 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};
    /** Offset of {@code uc_mcontext} in {@code struct ucontext_t}: uc_flags, uc_link, uc_stack (24 bytes). */
    private static final int UC_MCONTEXT = 40;
    /** DWARF register -> index in mcontext's {@code gregs} (REG_R8 = 0 ... REG_RIP = 16). */
    private static final int[] GREGS_INDEX = {13, 12, 14, 11, 9, 8, 10, 15, 0, 1, 2, 3, 4, 5, 6, 7, 16};

    private final ProcessSymbols symbols;

    public Unwinder(ProcessSymbols symbols) {
        this.symbols = symbols;
    }

    /** Unwinds with the modules of {@code symbols}. */
    public static List<Frame> unwind(Registers registers, MemoryReader memory, ProcessSymbols symbols) {
        return new Unwinder(symbols).unwind(registers, memory);
    }

    /** Unwinds with the modules mapped in {@code map} (opened through the shared ELF cache). */
    public static List<Frame> unwind(Registers registers, MemoryReader memory, LoadMap map) {
        return unwind(registers, memory, new ProcessSymbols(map));
    }

    public List<Frame> unwind(Registers registers, MemoryReader memory) {
        return unwind(registers, memory, MAX_FRAMES);
    }

    /** The frames, innermost first, at most {@code maxFrames}; needs at least rip and rsp in {@code registers}. */
    public List<Frame> unwind(Registers registers, MemoryReader memory, int maxFrames) {
        List<Frame> frames = new ArrayList<>();
        Registers regs = registers;
        UnwindMethod method = UnwindMethod.CONTEXT;
        boolean callerOfSignalFrame = false;
        while (frames.size() < maxFrames && regs.isKnown(Registers.RIP)) {
            long pc = regs.value(Registers.RIP);
            // a return address is the instruction after the call: look up the call itself, unless this
            // frame was interrupted (innermost, or below a signal frame) and pc is the very instruction
            long lookup = frames.isEmpty() || callerOfSignalFrame ? pc : pc - 1;
            Optional<LoadedModule> module = symbols.moduleAt(lookup);
            Step step = step(regs, lookup, lookup == pc, module, memory);
            addFrames(frames, maxFrames, pc, lookup, module, step, method, regs);
            if (frames.size() >= maxFrames) {
                break;
            }
            if (step == null || step.caller == null) {
                break;
            }
            Registers caller = step.caller;
            OptionalLong callerPc = caller.get(Registers.RIP);
            if (callerPc.isEmpty() || callerPc.getAsLong() == 0 || !caller.isKnown(Registers.RSP)) {
                break;
            }
            // the stack grows down: a caller's frame lies above its callee's (signal frames may switch to
            // another stack, e.g. sigaltstack, so only ordinary frames are held to it)
            if (!step.signalFrame && Long.compareUnsigned(caller.value(Registers.RSP), regs.value(Registers.RSP)) <= 0) {
                break;
            }
            callerOfSignalFrame = step.signalFrame;
            method = step.method;
            regs = caller;
        }
        return Collections.unmodifiableList(frames);
    }

    /**
     * The frame at pc, preceded by one frame per function inlined there (from the module's DIE tree), innermost
     * first as gdb shows them: the innermost gets the pc's line, each outer one (and last the real frame) the
     * line of the call that the inner one replaced. A broken DIE tree costs the inlined frames, not the frame.
     */
    private static void addFrames(List<Frame> frames, int maxFrames, long pc, long lookup, Optional<LoadedModule> module, Step step, UnwindMethod method,
            Registers regs) {
        Frame real = frame(frames.size(), pc, lookup, module, step, method, regs);
        List<InlinedCall> inlined = List.of();
        if (module.isPresent() && !real.signalFrame()) {
            try {
                inlined = module.get().inlinedAt(lookup);
            } catch (SymbolException e) {
                inlined = List.of();
            }
        }
        Optional<LineRow> line = real.line();
        for (int i = inlined.size() - 1; i >= 0 && frames.size() < maxFrames; i--) {
            InlinedCall call = inlined.get(i);
            frames.add(new Frame(frames.size(), pc, real.cfa(), real.function(), line, real.module(), false, method, regs, Optional.of(call.function())));
            line = call.callFile().map(f -> new LineRow(pc, f, call.callLine(), 0, true, false, false, false, 0));
        }
        if (frames.size() < maxFrames) {
            frames.add(new Frame(frames.size(), pc, real.cfa(), real.function(), line, real.module(), real.signalFrame(), method, regs));
        }
    }

    private static Frame frame(int level, long pc, long lookup, Optional<LoadedModule> module, Step step, UnwindMethod method, Registers regs) {
        Optional<SymbolMatch> function = module.flatMap(m -> m.functionAt(lookup));
        Optional<LineRow> line;
        try {
            line = module.flatMap(m -> m.lineAt(lookup));
        } catch (SymbolException e) {
            line = Optional.empty(); // a broken line table costs the line, not the frame
        }
        return new Frame(level, pc, step == null ? 0 : step.cfa, function, line, module.map(m -> m.elf().name()), step != null && step.signalFrame, method,
                regs);
    }

    /** How to get from one frame to its caller: the frame's CFA and the caller's registers (null: outermost). */
    record Step(long cfa, Registers caller, UnwindMethod method, boolean signalFrame) {
    }

    private Step step(Registers regs, long lookup, boolean exactPc, Optional<LoadedModule> module, MemoryReader memory) {
        if (module.isPresent()) {
            try {
                Step s = CfiUnwind.step(module.get(), regs, lookup, memory);
                if (s != null) {
                    return s;
                }
            } catch (SymbolException e) {
                // malformed CFI in this module: unwind this frame as if it had none
            }
        }
        Step s = sigreturnStep(regs, memory);
        if (s != null) {
            return s;
        }
        if (exactPc && module.isPresent()) {
            OptionalLong start = module.get().functionAt(lookup).stream().mapToLong(m -> lookup - m.offset()).findFirst();
            if (start.isPresent()) {
                s = prologueStep(regs, lookup, start.getAsLong(), memory);
                if (s != null) {
                    return s;
                }
            }
        }
        return framePointerStep(regs, memory);
    }

    /**
     * A frame stopped at an exact pc (not a return address) with no CFI may not have set up its frame pointer
     * yet: before {@code push %rbp} (or in a function that never pushes it, a frameless leaf) the return
     * address is at [rsp]; between the push and {@code mov %rsp,%rbp} it is at [rsp+8]. Null when the frame
     * pointer is already set up. The same reading of the prologue as gdb's amd64 analyzer, for the cases a
     * compiler emits ({@code endbr64} first or not).
     */
    private static Step prologueStep(Registers regs, long pc, long start, MemoryReader memory) {
        byte[] code = memory.readFully(start, 12);
        if (code == null || !regs.isKnown(Registers.RSP)) {
            return null;
        }
        int i = 0;
        if ((code[0] & 0xff) == 0xf3 && code[1] == 0x0f && code[2] == 0x1e && (code[3] & 0xff) == 0xfa) {
            i = 4; // endbr64
        }
        boolean push = code[i] == 0x55;
        boolean mov = push && code[i + 1] == 0x48 && ((code[i + 2] & 0xff) == 0x89 && (code[i + 3] & 0xff) == 0xe5
                || (code[i + 2] & 0xff) == 0x8b && (code[i + 3] & 0xff) == 0xec);
        long rsp = regs.value(Registers.RSP);
        long offset = pc - start;
        if (!push || offset <= i) {
            // nothing pushed yet (or a function that keeps no frame pointer: assume it has not moved rsp)
            return returnAt(regs, rsp, rsp + 8, regs.get(Registers.RBP), memory);
        }
        if (mov && offset <= i + 1) {
            return returnAt(regs, rsp + 8, rsp + 16, memory.readLong(rsp), memory);
        }
        return null;
    }

    private static Step returnAt(Registers regs, long raSlot, long callerSp, OptionalLong callerRbp, MemoryReader memory) {
        OptionalLong ret = memory.readLong(raSlot);
        if (ret.isEmpty()) {
            return new Step(0, null, UnwindMethod.FRAME_POINTER, false);
        }
        Registers caller = Registers.empty().with(Registers.RIP, ret.getAsLong()).with(Registers.RSP, callerSp);
        if (callerRbp.isPresent()) {
            caller = caller.with(Registers.RBP, callerRbp.getAsLong());
        }
        return new Step(callerSp, keepCalleeSaved(regs, caller), UnwindMethod.FRAME_POINTER, false);
    }

    private static Registers keepCalleeSaved(Registers callee, Registers caller) {
        Registers out = caller;
        for (int r : new int[] {Registers.RBX, 12, 13, 14, 15}) {
            OptionalLong v = callee.get(r);
            if (v.isPresent()) {
                out = out.with(r, v.getAsLong()); // callee-saved: assume the callee kept them
            }
        }
        return out;
    }

    /** The pc is glibc's {@code __restore_rt}: the interrupted registers are in the ucontext at rsp. */
    private static Step sigreturnStep(Registers regs, MemoryReader memory) {
        byte[] code = memory.readFully(regs.value(Registers.RIP), RESTORE_RT.length);
        if (code == null || !java.util.Arrays.equals(code, RESTORE_RT) || !regs.isKnown(Registers.RSP)) {
            return null;
        }
        long gregs = regs.value(Registers.RSP) + UC_MCONTEXT;
        Registers caller = Registers.empty();
        for (int r = 0; r < Registers.COUNT; r++) {
            OptionalLong v = memory.readLong(gregs + 8L * GREGS_INDEX[r]);
            if (v.isEmpty()) {
                return new Step(0, null, UnwindMethod.SIGRETURN, true);
            }
            caller = caller.with(r, v.getAsLong());
        }
        return new Step(regs.value(Registers.RSP), caller, UnwindMethod.SIGRETURN, true);
    }

    /** {@code push %rbp; mov %rsp,%rbp}: [rbp] is the caller's rbp, [rbp+8] the return address. */
    private static Step framePointerStep(Registers regs, MemoryReader memory) {
        OptionalLong rbp = regs.get(Registers.RBP);
        if (rbp.isEmpty() || rbp.getAsLong() == 0) {
            return new Step(0, null, UnwindMethod.FRAME_POINTER, false);
        }
        long fp = rbp.getAsLong();
        OptionalLong savedRbp = memory.readLong(fp);
        OptionalLong ret = memory.readLong(fp + 8);
        if (savedRbp.isEmpty() || ret.isEmpty()) {
            return new Step(0, null, UnwindMethod.FRAME_POINTER, false);
        }
        Registers caller = Registers.empty().with(Registers.RIP, ret.getAsLong()).with(Registers.RSP, fp + 16).with(Registers.RBP, savedRbp.getAsLong());
        return new Step(fp + 16, keepCalleeSaved(regs, caller), UnwindMethod.FRAME_POINTER, false);
    }
}
