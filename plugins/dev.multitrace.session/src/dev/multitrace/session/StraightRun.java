package dev.multitrace.session;

import dev.multitrace.core.Disassembler;
import dev.multitrace.core.Examination;
import dev.multitrace.core.Instruction;

import java.util.List;
import java.util.Set;

/**
 * How far a line step may run at full speed from the pc: to the first instruction that may not fall
 * through to the next one (a jump, a call, a return, a system call, a trap), or to the end of the line
 * table's row, whichever comes first. A line step single-steps only those instructions and runs the
 * straight stretches between them to one breakpoint of its own (as LLDB's step plans do): one stop per
 * stretch instead of one per instruction, and a {@code rep movs} of any length is one stretch. A step over
 * runs a stretch's calls too (see {@link #from}).
 * <p>
 * The bytes are read through the examination (the program's own: our int3 bytes hidden) and decoded by
 * Capstone ({@link Disassembler}). Where Capstone is missing, or the code cannot be read or decoded, the
 * answer is the pc itself: the step single-steps as before.
 */
final class StraightRun {

    /** A row longer than this is not decoded (a gap in the line table, not a line). */
    private static final int MAX_ROW = 4096;

    /** The operations (the last word of Capstone's AT&T mnemonic, past prefixes such as {@code rep} and {@code bnd}) that may not fall through. */
    private static final Set<String> TRANSFERS = Set.of("call", "callq", "lcall", "lcallq", "ret", "retq", "lret", "lretq",
            "iret", "iretd", "iretq", "int", "int1", "int3", "into", "syscall", "sysenter", "sysexit", "sysret", "sysretq",
            "ud0", "ud1", "ud2", "hlt", "loop", "loope", "loopne", "xbegin", "xabort", "xend", "ljmp", "ljmpq", "(bad)");

    private static final boolean DECODES = Disassembler.unavailableReason() == null;

    private StraightRun() {
    }

    /** Where a stretch ends, and whether it has calls in it (then its end is reached after they return). */
    record Stretch(long end, boolean calls) {
    }

    /**
     * The stretch from {@code pc}, which is in a row ending at {@code rowEnd}, to the first instruction that
     * transfers control, or to {@code rowEnd}; its end is {@code pc} itself if that instruction is the one at
     * pc or if nothing is known (then the step takes one instruction). With {@code overCalls} (a step over),
     * a call does not end the stretch: it returns to the next instruction, and the step runs over it anyway.
     */
    static Stretch from(Examination x, long pc, long rowEnd, boolean overCalls) {
        if (!DECODES || Long.compareUnsigned(rowEnd, pc) <= 0 || rowEnd - pc > MAX_ROW) {
            return new Stretch(pc, false);
        }
        List<Instruction> code;
        try {
            code = Disassembler.decode(x.read(pc, (int) (rowEnd - pc) + Disassembler.MAX_INSTRUCTION - 1), pc,
                    (int) (rowEnd - pc));
        } catch (RuntimeException unreadable) {
            return new Stretch(pc, false);
        }
        long at = pc;
        boolean calls = false;
        for (Instruction i : code) {
            if (Long.compareUnsigned(i.address(), rowEnd) >= 0) {
                return new Stretch(rowEnd, calls);
            }
            boolean call = overCalls && isCall(i.mnemonic());
            if (i.address() != at || !call && transfersControl(i.mnemonic())
                    || Long.compareUnsigned(i.address() + i.length(), rowEnd) > 0) {
                return new Stretch(at, calls); // a branch, a gap in the decoding, or an instruction across the row's end
            }
            calls |= call;
            at += i.length();
        }
        return at == rowEnd ? new Stretch(rowEnd, calls) : new Stretch(pc, false);
    }

    /** A near call (not a far one, which a step treats as a jump). */
    static boolean isCall(String mnemonic) {
        String op = mnemonic.substring(mnemonic.lastIndexOf(' ') + 1);
        return op.equals("call") || op.equals("callq");
    }

    /** Whether an instruction may go elsewhere than the next one: conditional jumps are all {@code j*}. */
    static boolean transfersControl(String mnemonic) {
        String op = mnemonic.substring(mnemonic.lastIndexOf(' ') + 1);
        return op.startsWith("j") || TRANSFERS.contains(op);
    }
}
