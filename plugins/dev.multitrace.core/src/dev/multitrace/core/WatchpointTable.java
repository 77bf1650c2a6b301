package dev.multitrace.core;

import dev.multitrace.linux.x86_64.DebugRegisters;

import java.util.HashMap;
import java.util.Map;

/**
 * The hardware watchpoints of one traced process: the four x86-64 debug register slots, each
 * holding one {@link Watchpoint} and the refcount of its owners (an owner is an engine's
 * {@link EngineOps}, as for {@link BreakpointTable}). The slots are the same in every thread of
 * the process; the tracer ({@link Watches}) copies them into each thread's registers.
 * <p>
 * Tracer-thread only. This class only keeps the wanted state; it never calls ptrace.
 */
final class WatchpointTable {

    /** The highest address + 1 a user-space watch may cover (x86-64 TASK_SIZE_MAX with 4-level paging). */
    static final long USER_END = 0x7ffffffff000L;

    /** One debug register slot in use. */
    static final class Slot {
        final Watchpoint watchpoint;
        /** Owner to count: an owner may insert the same watchpoint more than once. */
        final Map<EngineOps, Integer> owners = new HashMap<>();

        Slot(Watchpoint watchpoint) {
            this.watchpoint = watchpoint;
        }

        boolean ownedBy(EngineOps ops) {
            return owners.containsKey(ops);
        }
    }

    private final Slot[] slots = new Slot[DebugRegisters.SLOTS];
    /**
     * Whether any slot was ever used in this image: a hardware trap can then be ours even when
     * its slot was freed before the trap was reported (it is consumed, never delivered).
     */
    private boolean everUsed;

    Slot slot(int i) {
        return slots[i];
    }

    boolean isEmpty() {
        for (Slot s : slots) {
            if (s != null) {
                return false;
            }
        }
        return true;
    }

    boolean everUsed() {
        return everUsed;
    }

    /** Checks what the hardware accepts, with a message that says what is wrong. */
    static Watchpoint validate(long address, int length, WatchKind kind) {
        if (kind == null) {
            throw new TracingException("a watchpoint needs a kind (EXECUTE, WRITE or READ_WRITE)");
        }
        if (kind == WatchKind.EXECUTE && length != 1) {
            throw new TracingException("an EXECUTE watchpoint (hardware breakpoint) has length 1, not " + length);
        }
        if (length != 1 && length != 2 && length != 4 && length != 8) {
            throw new TracingException("a watchpoint covers 1, 2, 4 or 8 bytes, not " + length);
        }
        if ((address & (length - 1)) != 0) {
            throw new TracingException("a " + length + "-byte watchpoint must be aligned to " + length
                    + " bytes: 0x" + Long.toHexString(address) + " is not");
        }
        if (address < 0 || address + length > USER_END) {
            throw new TracingException("0x" + Long.toHexString(address) + " is not a user-space address: it cannot be watched");
        }
        return new Watchpoint(address, length, kind);
    }

    /** Whether {@link #insert} would find a slot for {@code wp}: a free one, or one holding it already. */
    boolean hasRoomFor(Watchpoint wp) {
        for (Slot s : slots) {
            if (s == null || s.watchpoint.equals(wp)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a debug register can hold this range and kind at all (length and alignment). */
    static boolean fits(long address, int length, WatchKind kind) {
        try {
            validate(address, length, kind);
            return true;
        } catch (TracingException e) {
            return false;
        }
    }

    /**
     * Adds {@code owner} to the slot of {@code wp}, taking a free slot if none holds it.
     *
     * @return the index of the slot
     * @throws TracingException when all four slots hold other watchpoints
     */
    int insert(EngineOps owner, Watchpoint wp) {
        int free = -1;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null && slots[i].watchpoint.equals(wp)) {
                slots[i].owners.merge(owner, 1, Integer::sum);
                return i;
            }
            if (slots[i] == null && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            StringBuilder used = new StringBuilder();
            for (Slot s : slots) {
                used.append(used.isEmpty() ? "" : ", ").append(s.watchpoint);
            }
            throw new TracingException("cannot insert " + wp + ": all " + slots.length
                    + " hardware debug registers are in use (" + used + ")");
        }
        Slot s = new Slot(wp);
        s.owners.put(owner, 1);
        slots[free] = s;
        everUsed = true;
        return free;
    }

    /** @return false if {@code owner} had no such watchpoint */
    boolean remove(EngineOps owner, Watchpoint wp) {
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s != null && s.watchpoint.equals(wp) && s.ownedBy(owner)) {
                if (s.owners.merge(owner, -1, Integer::sum) <= 0) {
                    s.owners.remove(owner);
                }
                if (s.owners.isEmpty()) {
                    slots[i] = null;
                }
                return true;
            }
        }
        return false;
    }

    /** Gives {@code from}'s share of every slot to {@code to} (a fork child's copy changing hands). */
    void transferOwner(EngineOps from, EngineOps to) {
        for (Slot s : slots) {
            if (s != null) {
                Integer n = s.owners.remove(from);
                if (n != null) {
                    s.owners.merge(to, n, Integer::sum);
                }
            }
        }
    }

    /** Drops every watchpoint of {@code owner}; @return whether a slot was freed. */
    boolean removeAll(EngineOps owner) {
        boolean freed = false;
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            if (s != null && s.owners.remove(owner) != null && s.owners.isEmpty()) {
                slots[i] = null;
                freed = true;
            }
        }
        return freed;
    }

    /** Takes the slots and owners of a followed fork child's parent (the child's copy of its memory is watched alike). */
    void copyFrom(WatchpointTable parent) {
        for (int i = 0; i < slots.length; i++) {
            Slot s = parent.slots[i];
            if (s != null) {
                slots[i] = new Slot(s.watchpoint);
                slots[i].owners.putAll(s.owners);
                everUsed = true;
            }
        }
    }

    /** The image was replaced by exec (the kernel cleared every thread's debug registers). */
    void forgetAll() {
        java.util.Arrays.fill(slots, null);
        everUsed = false;
    }

    /** The DR7 value that enables exactly the used slots. */
    long control() {
        long dr7 = 0;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] != null) {
                dr7 |= control(i, slots[i].watchpoint);
            }
        }
        return dr7;
    }

    /** The address slot {@code i} must hold (0 when free). */
    long address(int i) {
        return slots[i] == null ? 0 : slots[i].watchpoint.address();
    }

    static long control(int slot, Watchpoint wp) {
        int rw = switch (wp.kind()) {
            case EXECUTE -> DebugRegisters.RW_EXECUTE;
            case WRITE -> DebugRegisters.RW_WRITE;
            case READ_WRITE -> DebugRegisters.RW_READ_WRITE;
        };
        return DebugRegisters.control(slot, rw, wp.length());
    }
}
