package dev.multitrace.linux.x86_64;

/**
 * Offsets into x86-64 {@code struct user} (sys/user.h), the address space of
 * PTRACE_PEEKUSER/POKEUSER. Its main use is the hardware debug registers, which have no
 * regset: DR0..DR3 hold addresses, DR6 is status, DR7 control (DR4/DR5 are reserved).
 */
public final class UserArea {

    /** {@code offsetof(struct user, u_debugreg)}. */
    public static final int U_DEBUGREG = 848;

    public static final int DR_STATUS = 6;
    public static final int DR_CONTROL = 7;

    private UserArea() {
    }

    /** Offset of debug register {@code i} (0..7) for PEEKUSER/POKEUSER. */
    public static long debugRegOffset(int i) {
        if (i < 0 || i > 7) {
            throw new IllegalArgumentException("debug register " + i);
        }
        return U_DEBUGREG + 8L * i;
    }

    /** Offset of general register word {@code index} ({@link Regs} constants): regs come first. */
    public static long regOffset(int index) {
        return 8L * index;
    }
}
