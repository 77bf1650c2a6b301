package dev.multitrace.linux.x86_64;

import dev.multitrace.linux.Ptrace;

/**
 * The x86-64 hardware debug registers of one thread, as ptrace shows them through
 * {@code struct user}'s {@code u_debugreg}: DR0..DR3 hold the watched addresses, DR6 is
 * the status the kernel keeps for the tracer, DR7 the control word.
 *
 * <p>DR7 layout (Intel SDM vol. 3, 18.2.4): bit {@code 2i} is the local enable of slot
 * {@code i}; the nibble at bit {@code 16 + 4i} holds its R/W condition (low two bits) and
 * its length (high two bits). The kernel accepts local or global enable bits from ptrace
 * and keeps them per thread; we use the local ones.
 *
 * <p>DR6 as PEEKUSER reads it is the kernel's per-thread virtual DR6, in the architectural
 * polarity: B0..B3 (bits 0-3) name the slots that fired, BS (bit 14) a single-step trap in
 * the same debug exception. It accumulates until written, so the tracer clears it after
 * reading.
 *
 * <p>Like every ptrace request, the accesses here must come from the tracer thread while
 * the thread is ptrace-stopped.
 */
public final class DebugRegisters {

    /** The status register's number (DR6). */
    public static final int DR_STATUS = UserArea.DR_STATUS;
    /** The control register's number (DR7). */
    public static final int DR_CONTROL = UserArea.DR_CONTROL;

    /** Address slots per thread (DR0..DR3). */
    public static final int SLOTS = 4;

    /** DR7 R/W condition: break on instruction execution (length must be 1). */
    public static final int RW_EXECUTE = 0b00;
    /** DR7 R/W condition: break on data writes. */
    public static final int RW_WRITE = 0b01;
    /** DR7 R/W condition: break on data reads or writes (x86 has no read-only condition). */
    public static final int RW_READ_WRITE = 0b11;

    /** DR6: slots that fired. */
    public static final long DR6_SLOTS = 0xf;
    /** DR6: single-step (trap flag) trap in the same exception. */
    public static final long DR6_BS = 1L << 14;

    private DebugRegisters() {
    }

    /** The DR7 length encoding of {@code length} bytes: 1→00, 2→01, 8→10, 4→11. */
    public static int lengthBits(int length) {
        return switch (length) {
            case 1 -> 0b00;
            case 2 -> 0b01;
            case 4 -> 0b11;
            case 8 -> 0b10;
            default -> throw new IllegalArgumentException("a debug register watches 1, 2, 4 or 8 bytes, not " + length);
        };
    }

    /** The DR7 bits that enable {@code slot} with condition {@code rw} over {@code length} bytes. */
    public static long control(int slot, int rw, int length) {
        checkSlot(slot);
        long nibble = rw | (lengthBits(length) << 2);
        return enableBit(slot) | (nibble << (16 + 4 * slot));
    }

    /** The local enable bit of {@code slot} in DR7. */
    public static long enableBit(int slot) {
        checkSlot(slot);
        return 1L << (2 * slot);
    }

    /** Every DR7 bit that belongs to {@code slot} (enables and condition/length nibble). */
    public static long slotMask(int slot) {
        checkSlot(slot);
        return (3L << (2 * slot)) | (0xfL << (16 + 4 * slot));
    }

    /** Reads debug register {@code i} (0..7) of a stopped tracee. */
    public static long read(int tid, int i) {
        return Ptrace.peekUser(tid, UserArea.debugRegOffset(i));
    }

    /** Writes debug register {@code i} of a stopped tracee; the kernel validates the value (EINVAL). */
    public static void write(int tid, int i, long value) {
        Ptrace.pokeUser(tid, UserArea.debugRegOffset(i), value);
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("debug register slot " + slot);
        }
    }
}
