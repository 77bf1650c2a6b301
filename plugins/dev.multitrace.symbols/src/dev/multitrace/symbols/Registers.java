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
    /** DWARF numbers 17..32 are xmm0..xmm15 (16 bytes each), where gcc keeps float and double variables. */
    public static final int XMM0 = 17;
    public static final int XMM_COUNT = 16;

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
    /** xmm0..xmm15, 16 bytes each, little-endian; null when unknown (only a core's NT_PRFPREG gives them here). */
    private final byte[] vectors;
    /** The thread pointer (fs_base: where the thread's TLS blocks end), or null when unknown. */
    private final Long fsBase;
    /** Position of fs_base in {@code struct user_regs_struct}. */
    private static final int USER_REGS_FS_BASE = 21;

    private Registers(long[] values, int known) {
        this(values, known, null, null);
    }

    private Registers(long[] values, int known, byte[] vectors, Long fsBase) {
        this.values = values;
        this.known = known;
        this.vectors = vectors;
        this.fsBase = fsBase;
    }

    /** These registers with the thread pointer {@code fs_base} (thread-local variables are found from it). */
    public Registers withFsBase(long base) {
        return new Registers(values, known, vectors, base);
    }

    /** The thread pointer, if known. */
    public OptionalLong fsBase() {
        return fsBase == null ? OptionalLong.empty() : OptionalLong.of(fsBase);
    }

    /**
     * These registers with xmm0..xmm15 ({@code 16 * 16} bytes, as in the {@code fxsave} area from offset 160).
     */
    public Registers withVectors(byte[] xmm) {
        if (xmm.length != XMM_COUNT * 16) {
            throw new IllegalArgumentException("need " + XMM_COUNT * 16 + " bytes of xmm registers, got " + xmm.length);
        }
        return new Registers(values, known, xmm.clone(), fsBase);
    }

    /** Whether xmm0..xmm15 are known. */
    public boolean hasVectors() {
        return vectors != null;
    }

    /** The 16 bytes of vector register {@code dwarfReg} (17..32: xmm0..xmm15), or null if unknown. */
    public byte[] vector(int dwarfReg) {
        if (vectors == null || dwarfReg < XMM0 || dwarfReg >= XMM0 + XMM_COUNT) {
            return null;
        }
        int at = (dwarfReg - XMM0) * 16;
        return java.util.Arrays.copyOfRange(vectors, at, at + 16);
    }

    /** All of xmm0..xmm15 (a copy), or null if unknown. */
    public byte[] vectors() {
        return vectors == null ? null : vectors.clone();
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
        return new Registers(v, (1 << COUNT) - 1, null, userRegs[USER_REGS_FS_BASE]);
    }

    /** Just a pc, a stack pointer and a frame pointer: enough to start a frame-pointer unwind. */
    public static Registers of(long rip, long rsp, long rbp) {
        return empty().with(RIP, rip).with(RSP, rsp).with(RBP, rbp);
    }

    public boolean isKnown(int reg) {
        return reg >= 0 && reg < COUNT && (known & (1 << reg)) != 0;
    }

    /** A general register, or the low 8 bytes of a known xmm register (a double held there). */
    public OptionalLong get(int reg) {
        byte[] v = vector(reg);
        if (v != null) {
            long x = 0;
            for (int i = 7; i >= 0; i--) {
                x = x << 8 | (v[i] & 0xff);
            }
            return OptionalLong.of(x);
        }
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
        return new Registers(v, known | 1 << reg, vectors, fsBase);
    }

    public Registers without(int reg) {
        check(reg);
        long[] v = values.clone();
        v[reg] = 0;
        return new Registers(v, known & ~(1 << reg), vectors, fsBase);
    }

    private static void check(int reg) {
        if (reg < 0 || reg >= COUNT) {
            throw new IllegalArgumentException("DWARF register " + reg + " is not an x86-64 general register (0.." + (COUNT - 1) + ")");
        }
    }

    /** "rax", "rsp", "rip", ... */
    public static String name(int reg) {
        if (reg >= XMM0 && reg < XMM0 + XMM_COUNT) {
            return "xmm" + (reg - XMM0);
        }
        return reg >= 0 && reg < COUNT ? NAMES[reg] : "r" + reg + "?";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Registers r && r.known == known && Arrays.equals(r.values, values) && Arrays.equals(r.vectors, vectors)
                && java.util.Objects.equals(r.fsBase, fsBase);
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
