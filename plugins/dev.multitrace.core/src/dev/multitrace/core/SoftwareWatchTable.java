package dev.multitrace.core;

import dev.multitrace.linux.Memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The software watchpoints of one traced process ({@link WatchMethod#SOFTWARE}): write watches,
 * each with the bytes last seen, and execute watches, each an int3 in the process's
 * {@link BreakpointTable} owned by {@link #EXECUTE_OWNER}. Owners and refcounts as in
 * {@link WatchpointTable}.
 * <p>
 * Tracer-thread only. This class reads the watched bytes (process_vm_readv) and keeps the wanted
 * state; the tracer ({@link Watches}) steps the threads and reports the hits.
 * <p>
 * Rule: <b>the memory is read through the tid of the thread that stopped, never the process's
 * pid.</b> The leader can end before the other threads (an exit_group's killing order, or
 * {@code pthread_exit} in main): it stays a zombie until they are reaped, its memory is gone, and
 * {@code process_vm_readv} of its pid fails with ESRCH. The tracer takes an ESRCH for the death of
 * the thread it was handling (SIGKILL needs no permission from us): read through the pid, a live
 * thread at its step trap or its exit stop was taken for dying and left in that ptrace stop for
 * ever, and the process never ended (its leader's death is reported only after every other thread
 * is reaped). Read through its own tid, an ESRCH means what the tracer takes it for.
 */
final class SoftwareWatchTable {

    /** The owner of the int3 of every software execute watch, in the breakpoint table. */
    static final EngineOps EXECUTE_OWNER = new EngineOps() {
        @Override
        public String toString() {
            return "software execute watchpoints";
        }
    };

    /** The most bytes one software watch compares after every instruction. */
    static final int MAX_LENGTH = 4096;

    /** One software watch in use. */
    static final class Watch {
        final Watchpoint watchpoint;
        final Map<EngineOps, Integer> owners = new HashMap<>();
        /** WRITE: the bytes as last seen (null: unreadable then). */
        byte[] value;

        Watch(Watchpoint watchpoint) {
            this.watchpoint = watchpoint;
        }

        boolean ownedBy(EngineOps ops) {
            return owners.containsKey(ops);
        }
    }

    private final List<Watch> watches = new ArrayList<>();
    /** How many WRITE watches exist: while there is one, every thread of the process single-steps. */
    private int writeWatches;
    /** Scratch for the comparisons (one per table: tracer thread only). */
    private byte[] scratch = new byte[8];

    boolean isEmpty() {
        return watches.isEmpty();
    }

    /** Whether the threads must single-step: some write watch exists. */
    boolean stepping() {
        return writeWatches > 0;
    }

    static Watchpoint validate(long address, int length, WatchKind kind) {
        if (kind == WatchKind.READ_WRITE) {
            throw new TracingException("a read watch needs the debug registers: a software watchpoint sees only a change"
                    + " of value, not a read (" + Tracing.debugRegisters().summary() + ")");
        }
        if (kind == WatchKind.EXECUTE && length != 1) {
            throw new TracingException("an EXECUTE watchpoint (breakpoint) has length 1, not " + length);
        }
        if (length < 1 || length > MAX_LENGTH) {
            throw new TracingException("a software watchpoint covers 1 to " + MAX_LENGTH + " bytes, not " + length);
        }
        if (address < 0 || address + length > WatchpointTable.USER_END) {
            throw new TracingException("0x" + Long.toHexString(address) + " is not a user-space address: it cannot be watched");
        }
        return new Watchpoint(address, length, kind, WatchMethod.SOFTWARE);
    }

    Watch find(Watchpoint wp) {
        for (Watch w : watches) {
            if (w.watchpoint.equals(wp)) {
                return w;
            }
        }
        return null;
    }

    /**
     * Adds {@code owner} to {@code wp}: a new write watch reads its bytes now (the value changes
     * are counted from here), a new execute watch plants its int3.
     *
     * @param tid a live thread of the process, to read through (see the rule above)
     * @return true if the watch is new
     */
    boolean insert(EngineOps owner, Watchpoint wp, int tid, BreakpointTable breakpoints) {
        Watch w = find(wp);
        if (w != null) {
            w.owners.merge(owner, 1, Integer::sum);
            return false;
        }
        w = new Watch(wp);
        if (wp.kind() == WatchKind.EXECUTE) {
            breakpoints.insert(EXECUTE_OWNER, wp.address());
        } else {
            w.value = read(tid, wp);
            if (w.value == null) {
                throw new TracingException("cannot watch 0x" + Long.toHexString(wp.address()) + "/" + wp.length()
                        + " in the process of thread " + tid + ": the address is not mapped");
            }
            writeWatches++;
        }
        w.owners.put(owner, 1);
        watches.add(w);
        return true;
    }

    /** @return false if {@code owner} had no such watch */
    boolean remove(EngineOps owner, Watchpoint wp, BreakpointTable breakpoints) {
        Watch w = find(wp);
        if (w == null || !w.ownedBy(owner)) {
            return false;
        }
        if (w.owners.merge(owner, -1, Integer::sum) <= 0) {
            w.owners.remove(owner);
        }
        if (w.owners.isEmpty()) {
            drop(w, breakpoints);
        }
        return true;
    }

    /** Drops every watch of {@code owner}. */
    void removeAll(EngineOps owner, BreakpointTable breakpoints) {
        for (Watch w : watches.toArray(Watch[]::new)) {
            if (w.owners.remove(owner) != null && w.owners.isEmpty()) {
                drop(w, breakpoints);
            }
        }
    }

    private void drop(Watch w, BreakpointTable breakpoints) {
        watches.remove(w);
        if (w.watchpoint.kind() == WatchKind.EXECUTE) {
            try {
                breakpoints.remove(EXECUTE_OWNER, w.watchpoint.address());
            } catch (RuntimeException gone) {
                // The process is gone, and its memory with it.
            }
        } else {
            writeWatches--;
        }
    }

    /** Gives {@code from}'s share of every watch to {@code to} (a fork child's copy changing hands). */
    void transferOwner(EngineOps from, EngineOps to) {
        for (Watch w : watches) {
            Integer n = w.owners.remove(from);
            if (n != null) {
                w.owners.merge(to, n, Integer::sum);
            }
        }
    }

    /** Takes the parent's watches (a followed fork child: its memory is a copy, its int3s too). */
    void copyFrom(SoftwareWatchTable parent) {
        for (Watch p : parent.watches) {
            Watch w = new Watch(p.watchpoint);
            w.owners.putAll(p.owners);
            w.value = p.value == null ? null : p.value.clone();
            watches.add(w);
        }
        writeWatches = parent.writeWatches;
    }

    /** The image was replaced by exec: the watched addresses mean nothing any more. */
    void forgetAll() {
        watches.clear();
        writeWatches = 0;
    }

    /** The execute watches at {@code address} (its int3 was hit). */
    List<Watch> executeAt(long address) {
        List<Watch> at = new ArrayList<>(1);
        for (Watch w : watches) {
            if (w.watchpoint.kind() == WatchKind.EXECUTE && w.watchpoint.address() == address) {
                at.add(w);
            }
        }
        return at;
    }

    /**
     * Compares every write watch with the bytes now in memory; the ones that changed take the new
     * bytes and are returned. An unreadable range (unmapped since) changes nothing until it can be
     * read again.
     *
     * @param tid the thread that stopped, to read through (see the rule above)
     */
    List<Watch> changed(int tid) {
        List<Watch> hits = null;
        for (Watch w : watches) {
            if (w.watchpoint.kind() != WatchKind.WRITE) {
                continue;
            }
            int n = w.watchpoint.length();
            if (scratch.length < n) {
                scratch = new byte[n];
            }
            if (Memory.readVm(tid, w.watchpoint.address(), scratch, 0, n) != n) {
                continue;
            }
            if (w.value == null || !Arrays.equals(scratch, 0, n, w.value, 0, n)) {
                w.value = Arrays.copyOf(scratch, n);
                if (hits == null) {
                    hits = new ArrayList<>(1);
                }
                hits.add(w);
            }
        }
        return hits == null ? List.of() : hits;
    }

    private static byte[] read(int tid, Watchpoint wp) {
        byte[] b = new byte[wp.length()];
        try {
            return Memory.readVm(tid, wp.address(), b, 0, b.length) == b.length ? b : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
