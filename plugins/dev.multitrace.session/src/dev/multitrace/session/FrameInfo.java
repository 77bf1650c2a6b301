package dev.multitrace.session;

import java.util.Optional;

/**
 * One frame of a stopped thread's call stack, innermost first.
 *
 * @param level    0 for the innermost frame
 * @param pc       where the frame is: the stop pc (level 0) or the return address into it
 * @param cfa      the canonical frame address (the caller's rsp before its call), 0 if unknown
 * @param function the function containing the pc (looked up at pc - 1 for return addresses)
 * @param source   the source line, from the line table, of the same lookup address
 * @param signalFrame this frame is the signal trampoline: the frame after it was interrupted by a signal
 * @param inlined  a function inlined at pc into the next frame's function (as gdb shows them): same pc, cfa and
 *                 registers as the real frame below; its function is named from the DWARF of the inlined
 *                 instance (start and size are those of the real function the code is in)
 */
public record FrameInfo(int level, long pc, long cfa, Optional<FunctionInfo> function, Optional<SourcePosition> source,
        boolean signalFrame, boolean inlined) {

    /** A frame of a real (not inlined) function. */
    public FrameInfo(int level, long pc, long cfa, Optional<FunctionInfo> function, Optional<SourcePosition> source, boolean signalFrame) {
        this(level, pc, cfa, function, source, signalFrame, false);
    }

    public String functionName() {
        return function.map(FunctionInfo::name).orElse("??");
    }

    /** {@code main() at loop.c:12} or {@code ?? at 0x401000}. */
    public String label() {
        if (signalFrame) {
            return "<signal handler called>";
        }
        String where = source.filter(s -> s.line() > 0).map(s -> s.fileName() + ":" + s.line())
                .orElse("0x" + Long.toHexString(pc));
        return functionName() + "() at " + where;
    }
}
