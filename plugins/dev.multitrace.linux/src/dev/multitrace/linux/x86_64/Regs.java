package dev.multitrace.linux.x86_64;

import dev.multitrace.linux.Registers;
import java.util.Arrays;
import java.util.List;

/**
 * x86-64 {@code struct user_regs_struct} (sys/user.h): 27 unsigned 64-bit words in
 * kernel order, held in a plain {@code long[]} so it is cheap to copy and compare and
 * needs no JNA structure reflection on the hot path.
 */
public final class Regs implements Registers {

    /** Number of 64-bit words, and the byte size of NT_PRSTATUS is 8 times this. */
    public static final int COUNT = 27;
    public static final int SIZE = COUNT * 8;

    public static final int R15 = 0, R14 = 1, R13 = 2, R12 = 3, RBP = 4, RBX = 5, R11 = 6, R10 = 7,
            R9 = 8, R8 = 9, RAX = 10, RCX = 11, RDX = 12, RSI = 13, RDI = 14, ORIG_RAX = 15, RIP = 16,
            CS = 17, EFLAGS = 18, RSP = 19, SS = 20, FS_BASE = 21, GS_BASE = 22, DS = 23, ES = 24,
            FS = 25, GS = 26;

    private static final List<String> NAMES = List.of(
            "r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx",
            "rsi", "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base",
            "ds", "es", "fs", "gs");

    /** Kernel syscall argument registers, in order (note r10, not rcx, holds the 4th). */
    private static final int[] SYSCALL_ARGS = {RDI, RSI, RDX, R10, R8, R9};

    private final long[] words;

    /** All-zero registers. */
    public Regs() {
        this.words = new long[COUNT];
    }

    /** Wraps a copy of {@code words} (must hold 27 values in kernel order). */
    public Regs(long[] words) {
        if (words.length != COUNT) {
            throw new IllegalArgumentException("need " + COUNT + " words, got " + words.length);
        }
        this.words = words.clone();
    }

    /** The backing array, in kernel order; changes write through. */
    public long[] words() {
        return words;
    }

    /** Word {@code index} (one of the constants above). */
    public long get(int index) {
        return words[index];
    }

    public void set(int index, long value) {
        words[index] = value;
    }

    /** Index of a register name (case-insensitive), or -1. */
    public static int indexOf(String name) {
        return NAMES.indexOf(name.toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public List<String> names() {
        return NAMES;
    }

    @Override
    public long get(String name) {
        return words[checked(name)];
    }

    @Override
    public void set(String name, long value) {
        words[checked(name)] = value;
    }

    private static int checked(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no x86-64 register " + name);
        }
        return i;
    }

    @Override
    public long pc() {
        return words[RIP];
    }

    @Override
    public void setPc(long pc) {
        words[RIP] = pc;
    }

    @Override
    public long sp() {
        return words[RSP];
    }

    @Override
    public void setSp(long sp) {
        words[RSP] = sp;
    }

    /** {@code orig_rax}: the syscall number, preserved while rax receives the result. */
    @Override
    public long syscallNr() {
        return words[ORIG_RAX];
    }

    /** Sets {@code orig_rax}; at syscall-entry, -1 makes the kernel skip the syscall. */
    public void setSyscallNr(long nr) {
        words[ORIG_RAX] = nr;
    }

    @Override
    public long syscallArg(int i) {
        return words[SYSCALL_ARGS[i]];
    }

    @Override
    public void setSyscallArg(int i, long value) {
        words[SYSCALL_ARGS[i]] = value;
    }

    @Override
    public long returnValue() {
        return words[RAX];
    }

    @Override
    public void setReturnValue(long value) {
        words[RAX] = value;
    }

    public long rax() { return words[RAX]; }
    public long rbx() { return words[RBX]; }
    public long rcx() { return words[RCX]; }
    public long rdx() { return words[RDX]; }
    public long rsi() { return words[RSI]; }
    public long rdi() { return words[RDI]; }
    public long rbp() { return words[RBP]; }
    public long rsp() { return words[RSP]; }
    public long r8() { return words[R8]; }
    public long r9() { return words[R9]; }
    public long r10() { return words[R10]; }
    public long r11() { return words[R11]; }
    public long r12() { return words[R12]; }
    public long r13() { return words[R13]; }
    public long r14() { return words[R14]; }
    public long r15() { return words[R15]; }
    public long rip() { return words[RIP]; }
    public long origRax() { return words[ORIG_RAX]; }
    public long eflags() { return words[EFLAGS]; }
    public long fsBase() { return words[FS_BASE]; }
    public long gsBase() { return words[GS_BASE]; }

    @Override
    public Regs copy() {
        return new Regs(words);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Regs r && Arrays.equals(words, r.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Regs[");
        for (int i = 0; i < COUNT; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(NAMES.get(i)).append("=0x").append(Long.toHexString(words[i]));
        }
        return sb.append(']').toString();
    }
}
