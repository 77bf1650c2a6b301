package dev.multitrace.core;

import dev.multitrace.linux.x86_64.DebugRegisters;

/**
 * What one thread's debug registers hold (DR0..DR3 and DR7), as the tracer last wrote them or
 * the kernel cleared them at exec, and the writes that make them match a {@link WatchpointTable}.
 * <p>
 * Rule: the methods that write ({@link #sync}, {@link #clear}) run on the tracer thread and only
 * while the thread is ptrace-stopped: the kernel refuses PTRACE_POKEUSER otherwise, and the
 * record kept here is exact only because nothing else writes these registers.
 */
final class ThreadDebugRegisters {

    private final long[] address = new long[DebugRegisters.SLOTS];
    private long control;
    /** Slots rewritten while a stop of the thread waited to be reported (see {@link #sync}). */
    private long staleSlots;

    /** Whether any slot is enabled in the thread now. */
    boolean anyEnabled() {
        return control != 0;
    }

    /**
     * Whether the thread's current stop can be a trap of these registers: a slot was enabled when
     * it last ran (now, or rewritten since while the stop waited, see {@link #sync}). When not,
     * no slot can have fired since, and the DR6 bits of any earlier trap were cleared when that
     * trap was reported, so DR6 need not be read (a PEEKUSER saved at every step stop).
     */
    boolean mayHaveTrapped() {
        return control != 0 || staleSlots != 0;
    }

    /** Whether slot {@code i} holds {@code wp} now, written before any trap that is reported now. */
    boolean holds(int i, Watchpoint wp) {
        return (staleSlots & (1L << i)) == 0
                && (control & DebugRegisters.slotMask(i)) == WatchpointTable.control(i, wp)
                && address[i] == wp.address();
    }

    /** The thread resumes: a stop reported from now on saw the registers as they are. */
    void resumed() {
        staleSlots = 0;
    }

    /** The kernel cleared them (exec: flush_thread). */
    /**
     * At an exec's report: whether the slots we wrote are still enabled. The kernel clears them
     * early in the exec; a thread seized while its exec was in flight can have had them written
     * after that, and then they are in force in the new image and still ours to clear.
     */
    boolean stillEnabled(int tid) {
        return control != 0 && DebugRegisters.read(tid, DebugRegisters.DR_CONTROL) != 0;
    }

    void clearedByKernel() {
        java.util.Arrays.fill(address, 0);
        control = 0;
        staleSlots = 0;
    }

    /**
     * Writes {@code table} into the stopped thread {@code tid}. A slot whose address or condition
     * changes is disabled first, with its length bits at 1 byte, because the kernel checks a new
     * address against the slot's current length and alignment. Writes nothing when they match.
     *
     * @param unreportedStop the thread's current stop is not reported yet and may be a trap of
     *                       the old slots: their bits in its DR6 must not be taken for the new ones
     */
    void sync(int tid, WatchpointTable table, boolean unreportedStop) {
        long want = table.control();
        long have = control;
        long keep = 0;
        boolean same = want == have;
        for (int i = 0; i < DebugRegisters.SLOTS; i++) {
            long m = DebugRegisters.slotMask(i);
            boolean wanted = (want & m) != 0;
            boolean addressOk = !wanted || address[i] == table.address(i);
            same &= addressOk;
            if (wanted && addressOk && (want & m) == (have & m)) {
                keep |= want & m;
            }
        }
        if (same) {
            return;
        }
        if (unreportedStop) {
            for (int i = 0; i < DebugRegisters.SLOTS; i++) {
                long m = DebugRegisters.slotMask(i);
                if ((keep & m) == 0 && (have & m) != 0) {
                    staleSlots |= 1L << i;
                }
            }
        }
        if (have != keep) {
            DebugRegisters.write(tid, DebugRegisters.DR_CONTROL, keep);
            control = keep;
        }
        for (int i = 0; i < DebugRegisters.SLOTS; i++) {
            if ((want & DebugRegisters.slotMask(i)) != 0 && address[i] != table.address(i)) {
                DebugRegisters.write(tid, i, table.address(i));
                address[i] = table.address(i);
            }
        }
        if (want != keep) {
            DebugRegisters.write(tid, DebugRegisters.DR_CONTROL, want);
            control = want;
        }
    }

    /** Disables every slot of the stopped thread (before it is let go: the kernel keeps them across PTRACE_DETACH). */
    void clear(int tid) {
        if (control != 0) {
            DebugRegisters.write(tid, DebugRegisters.DR_CONTROL, 0);
            control = 0;
        }
    }
}
