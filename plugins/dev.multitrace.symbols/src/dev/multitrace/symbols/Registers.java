package dev.multitrace.symbols;

import java.util.Arrays;
import java.util.OptionalLong;

/**
 * An immutable snapshot of the x86-64 general registers, keyed by their DWARF register numbers (the
 * numbering CFI uses): 0 rax, 1 rdx, 2 rcx, 3 rbx, 4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15, 16 rip
 * (the return address column). A register may be unknown (a callee-clobbered register after unwinding).
 *
 * <p>It lives here, not in {@code unwind}, because {@link CoreFile} hands out threads' registers too:
 * {@code unwind} depends on this package, never the other way round (no package cycle).
 */
public final class Registers {

    public static final int RAX = 0;
    public static final int RDX = 1;
    public static final int RCX = 2;
    public static final int RBX = 3;
    public static final int RSI = 4;
    public static final int RDI = 5;
    public static final int RBP = 6;
    public static final int RSP = 7;
    public static final int R8 = 8;
    public static final int R15 = 15;
    public static final int RIP = 16;
    /** Registers 0..16. */
    public static final int COUNT = 17;

    private static final String[] NAMES = {"rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11", "r12", "r13", "r14",
            "r15", "rip"};

    /**
     * The position of each DWARF register in the kernel's {@code struct user_regs_struct} (as read by
     * PTRACE_GETREGS and stored in a core's NT_PRSTATUS): r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx rdx rsi
     * rdi orig_rax rip cs eflags rsp ss fs_base gs_base ds es fs gs.
     */
    private static final int[] USER_REGS_INDEX = {10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16};
    /** Words in {@code struct user_regs_struct}. */
    public static final int USER_REGS_WORDS = 27;

    private final long[] values;
    private final int known; // bit i set: register i is known

    private Registers(long[] values, int known) {
        this.values = values;
        this.known = known;
    }

    /** No register known. */
    public static Registers empty() {
        return new Registers(new long[COUNT], 0);
    }

    /** All 17 registers from an array indexed by DWARF number. */
    public static Registers of(long[] byDwarfNumber) {
        if (byDwarfNumber.length != COUNT) {
            throw new IllegalArgumentException("need " + COUNT + " registers, got " + byDwarfNumber.length);
        }
        return new Registers(byDwarfNumber.clone(), (1 << COUNT) - 1);
    }

    /** From the words of a {@code struct user_regs_struct} (PTRACE_GETREGS, NT_PRSTATUS) in kernel order. */
    public static Registers fromUserRegs(long[] userRegs) {
        if (userRegs.length < USER_REGS_WORDS) {
            throw new IllegalArgumentException("user_regs_struct has " + USER_REGS_WORDS + " words, got " + userRegs.length);
        }
        long[] v = new long[COUNT];
        for (int i = 0; i < COUNT; i++) {
            v[i] = userRegs[USER_REGS_INDEX[i]];
        }
        return new Registers(v, (1 << COUNT) - 1);
    }

    /** Just a pc, a stack pointer and a frame pointer: enough to start a frame-pointer unwind. */
    public static Registers of(long rip, long rsp, long rbp) {
        return empty().with(RIP, rip).with(RSP, rsp).with(RBP, rbp);
    }

    public boolean isKnown(int reg) {
        return reg >= 0 && reg < COUNT && (known & (1 << reg)) != 0;
    }

    public OptionalLong get(int reg) {
        return isKnown(reg) ? OptionalLong.of(values[reg]) : OptionalLong.empty();
    }

    /** The value of a register that must be known. */
    public long value(int reg) {
        if (!isKnown(reg)) {
            throw new IllegalStateException("register " + name(reg) + " unknown");
        }
        return values[reg];
    }

    public long pc() {
        return value(RIP);
    }

    public long sp() {
        return value(RSP);
    }

    public Registers with(int reg, long value) {
        check(reg);
        long[] v = values.clone();
        v[reg] = value;
        return new Registers(v, known | 1 << reg);
    }

    public Registers without(int reg) {
        check(reg);
        long[] v = values.clone();
        v[reg] = 0;
        return new Registers(v, known & ~(1 << reg));
    }

    private static void check(int reg) {
        if (reg < 0 || reg >= COUNT) {
            throw new IllegalArgumentException("DWARF register " + reg + " is not an x86-64 general register (0.." + (COUNT - 1) + ")");
        }
    }

    /** "rax", "rsp", "rip", ... */
    public static String name(int reg) {
        return reg >= 0 && reg < COUNT ? NAMES[reg] : "r" + reg + "?";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Registers r && r.known == known && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + known;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Registers[");
        for (int i = 0; i < COUNT; i++) {
            if (isKnown(i)) {
                b.append(b.length() > 10 ? " " : "").append(NAMES[i]).append("=0x").append(Long.toHexString(values[i]));
            }
        }
        return b.append(']').toString();
    }
}
