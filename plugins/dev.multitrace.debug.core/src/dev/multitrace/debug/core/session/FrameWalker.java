package dev.multitrace.debug.core.session;

import dev.multitrace.core.GeneralRegisters;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongFunction;

/**
 * Builds a stopped thread's call stack from its registers: the innermost frame from rip with its
 * function and line, then the callers along the frame-pointer chain (rbp), with the two prologue
 * positions (at the entry, and after {@code push rbp}) handled from rsp.
 * <p>
 * Why frame pointers: code built with {@code -O0} (the debugger's main case) keeps them. The CFI
 * unwinder of the symbol layer replaces this walk where CFI exists.
 */
public final class FrameWalker {

    /** Deeper stacks are cut (a corrupt chain must not loop). */
    public static final int MAX_FRAMES = 256;

    private final SessionSymbols symbols;
    private final LongFunction<OptionalLong> readWord;

    /** @param readWord reads the 8-byte little-endian word at an address, empty where unreadable */
    public FrameWalker(SessionSymbols symbols, LongFunction<OptionalLong> readWord) {
        this.symbols = symbols;
        this.readWord = readWord;
    }

    public List<FrameInfo> walk(GeneralRegisters regs) {
        List<FrameInfo> out = new ArrayList<>();
        long pc = regs.pc();
        long sp = regs.sp();
        long fp = regs.get("rbp");
        for (int level = 0; level < MAX_FRAMES; level++) {
            long lookup = level == 0 ? pc : pc - 1;
            Optional<FunctionInfo> fn = symbols.functionAt(lookup);
            Optional<SourcePosition> src = symbols.lineAt(lookup);
            long ret;
            long callerSp;
            long callerFp;
            int push = level == 0 && fn.isPresent() ? pushOffset(fn.get()) : -1;
            if (push >= 0 && Long.compareUnsigned(pc - fn.get().start(), push) <= 0) {
                // At the entry (or on its endbr64): the return address is on top of the stack, rbp is the caller's.
                ret = word(sp);
                callerSp = sp + 8;
                callerFp = fp;
            } else if (push >= 0 && pc == fn.get().start() + push + 1) {
                // After push %rbp, before mov %rsp,%rbp.
                ret = word(sp + 8);
                callerSp = sp + 16;
                callerFp = word(sp);
            } else {
                if (fp == 0 || Long.compareUnsigned(fp, sp) < 0) {
                    out.add(new FrameInfo(level, pc, 0, fn, src));
                    break;
                }
                ret = word(fp + 8);
                callerSp = fp + 16;
                callerFp = word(fp);
            }
            out.add(new FrameInfo(level, pc, callerSp, fn, src));
            if (ret == 0 || fn.isEmpty() || "_start".equals(fn.get().name()) || symbols.functionAt(ret - 1).isEmpty()) {
                break;
            }
            pc = ret;
            sp = callerSp;
            fp = callerFp;
        }
        return out;
    }

    /**
     * Where the function's {@code push %rbp} is: 0, or 4 after an {@code endbr64}; -1 if it does not
     * start with one (then only the frame-pointer chain is tried).
     */
    private int pushOffset(FunctionInfo f) {
        OptionalLong w = readWord.apply(f.start());
        if (w.isEmpty()) {
            return -1;
        }
        long code = w.getAsLong();
        if ((code & 0xffffffffL) == 0xfa1e0ff3L) { // f3 0f 1e fa: endbr64
            return ((code >>> 32) & 0xff) == 0x55 ? 4 : -1;
        }
        return (code & 0xff) == 0x55 ? 0 : -1;
    }

    private long word(long address) {
        return readWord.apply(address).orElse(0);
    }
}
