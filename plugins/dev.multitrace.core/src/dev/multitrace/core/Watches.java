package dev.multitrace.core;

import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SyscallInfo;
import dev.multitrace.linux.x86_64.DebugRegisters;
import dev.multitrace.linux.x86_64.Regs;

import java.util.ArrayList;
import java.util.List;

/**
 * Watchpoints: the debug registers of every thread kept equal to the process's
 * {@link WatchpointTable}, their traps reported, and software write watches (the threads
 * single-stepped and the watched bytes compared).
 * <p>
 * Threading: tracer thread only. Debug registers are written only while the thread is
 * ptrace-stopped (see {@link #applyWatchpoints}).
 */
final class Watches {

    private final TracerContext cx;

    Watches(TracerContext cx) {
        this.cx = cx;
    }

    /** The x86 resume flag: the next instruction does not fault on an instruction breakpoint. */
    static final long EFLAGS_RF = 1L << 16;

    static final long SYS_RT_SIGPROCMASK = 14;

    static final long SYS_RT_SIGRETURN = 15;

    /**
     * A SIGTRAP from the debug registers: {@code dr6} names the slots that fired. Each slot that
     * this thread's registers hold for a watchpoint still in the table is reported to its
     * owners; a slot freed or reused since the trap (a stale trap) is consumed silently: the
     * tracee never sees the SIGTRAP of our debug registers. DR6 accumulates, so it is cleared
     * here, while the thread is stopped, on the tracer thread.
     *
     * @param stepCompleted the same debug exception also ended a single-step (DR6.BS): the
     *                      stepped instruction ran
     * @param steppedFrom   the address of the one instruction that ran since the last stop, when
     *                      known (a single-step): it made the data access. -1 when unknown
     */
    void hardwareTrap(Task t, long dr6, boolean wasStepping, boolean stepCompleted, long steppedFrom) {
        DebugRegisters.write(t.tid, DebugRegisters.DR_STATUS, 0);
        WatchpointTable table = t.process.watchpoints;
        long pc = cx.regs(t).pc();
        List<WatchpointTable.Slot> hits = new ArrayList<>();
        for (int i = 0; i < DebugRegisters.SLOTS; i++) {
            WatchpointTable.Slot s = table.slot(i);
            // A slot freed, reused or rewritten since the trap is not this watchpoint's hit.
            if ((dr6 & (1L << i)) != 0 && s != null && t.debugRegisters.holds(i, s.watchpoint)) {
                hits.add(s);
            }
        }
        for (WatchpointTable.Slot s : hits) {
            if (s.watchpoint.kind() == WatchKind.EXECUTE) {
                // An instruction breakpoint is a fault: resumed as is, the instruction faults again
                // forever. The resume flag lets it run once. The kernel's handler sets RF already;
                // this makes sure of it (it is part of the registers engines read and write).
                Regs r = cx.regs(t);
                long flags = r.get(Regs.EFLAGS);
                if ((flags & EFLAGS_RF) == 0) {
                    r.set(Regs.EFLAGS, flags | EFLAGS_RF);
                    Ptrace.setRegs(t.tid, r);
                    t.process.modifications++; // after the engines' callbacks, which may have examined it
                }
                break;
            }
        }
        boolean ownStepTrap = !wasStepping && (dr6 & DebugRegisters.DR6_BS) != 0;
        if (wasStepping && !stepCompleted) {
            cx.steps.keepStepPending(t);
        }
        t.stateLabel = hits.isEmpty() ? "stale watchpoint trap" : hits.get(0).watchpoint.toString();
        cx.passes.beginPass(t, Event.WATCHPOINT);
        for (WatchpointTable.Slot s : hits) {
            Watchpoint wp = s.watchpoint;
            if (wp.kind() == WatchKind.EXECUTE) {
                t.watchInstruction = pc;
            } else if (steppedFrom != -1) {
                t.watchInstruction = steppedFrom;
            } else {
                t.watchInstruction = -1;
            }
            for (Engine e : t.engines) {
                if (!e.detached && e.wants(Event.WATCHPOINT) && s.ownedBy(e.ops)) {
                    cx.passes.vote(t, e, cx.passes.invoke(e, Event.WATCHPOINT, x -> x.ops.watchpoint(x, t, wp, wp.address())), false);
                }
            }
        }
        if (stepCompleted) {
            softWatchRound(t, softWatchHits(t), steppedFrom);
        }
        if (wasStepping && stepCompleted) {
            cx.steps.stepRound(t);
        }
        if (ownStepTrap) {
            // The program set the trap flag itself: its SIGTRAP came in the same exception and
            // is a real signal, reported as one in this stop after the watchpoint.
            cx.signalDelivery.programsOwnStepTrap(t);
        }
        cx.passes.endPass(t);
    }

    /**
     * Makes every thread's debug registers match the process's {@link WatchpointTable}.
     * <p>
     * Rule: debug registers are written only by the tracer thread and only while the thread is
     * ptrace-stopped (the kernel refuses PTRACE_POKEUSER otherwise). Running threads are
     * stopped for the write and resumed after it, so that when an insert or remove returns no
     * thread runs with the old set.
     */
    void applyWatchpoints(TracedProcess p) {
        cx.stopAll.pause(p);
        RuntimeException failure = null;
        for (Task x : new ArrayList<>(p.tasks.values())) {
            if (x.stopped() && !x.dead()) {
                try {
                    syncDebugRegisters(x);
                } catch (NoSuchTaskException gone) {
                    // Killed meanwhile: its death follows.
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        cx.stopAll.unpause(p);
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes the process's watchpoints into one stopped thread (see the rule at {@link #applyWatchpoints}). */
    void syncDebugRegisters(Task t) {
        t.debugRegisters.sync(t.tid, t.process.watchpoints, t.statusQueued());
    }

    /**
     * Inserts a watchpoint, choosing the method when {@code method} is null: a debug register
     * where {@code hardware} says they trap, the range fits one and a slot has room, else
     * software (see {@link WatchMethod#SOFTWARE}).
     */
    Watchpoint insertWatchpoint(TracedProcess p, EngineOps owner, long address, int length, WatchKind kind,
            WatchMethod method, DebugRegisterSupport hardware) {
        if (p.detached) {
            throw new TracingException(p + " is no longer traced");
        }
        boolean trapping = kind == WatchKind.EXECUTE ? hardware.executeBreakpoints() : hardware.dataWatchpoints();
        if (method == null) {
            boolean room = WatchpointTable.fits(address, length, kind)
                    && p.watchpoints.hasRoomFor(new Watchpoint(address, length, kind));
            // A read watch has no software form: it goes to the hardware, whose refusal says why.
            method = trapping && (room || kind == WatchKind.READ_WRITE) ? WatchMethod.HARDWARE : WatchMethod.SOFTWARE;
        }
        if (method == WatchMethod.HARDWARE) {
            if (!trapping) {
                throw new TracingException("cannot insert a hardware " + kind + " watchpoint at 0x" + Long.toHexString(address)
                        + ": this machine's debug registers do not trap (" + hardware.detail() + ")"
                        + (kind == WatchKind.READ_WRITE ? "; a read watch cannot be kept in software" : ""));
            }
            Watchpoint wp = WatchpointTable.validate(address, length, kind);
            insertHardwareWatchpoint(p, owner, wp);
            return wp;
        }
        Watchpoint wp = SoftwareWatchTable.validate(address, length, kind);
        if (kind == WatchKind.EXECUTE || p.softWatches.stepping()) {
            p.softWatches.insert(owner, wp, memoryTid(p), p.breakpoints);
            return wp;
        }
        // The first write watch: from now on every thread single-steps. The running ones are
        // stopped so that the watched bytes are read while no thread runs, and each resumes
        // stepping; a write after this returns is seen.
        cx.stopAll.pause(p);
        try {
            p.softWatches.insert(owner, wp, memoryTid(p), p.breakpoints);
        } finally {
            cx.stopAll.unpause(p);
        }
        return wp;
    }

    void insertHardwareWatchpoint(TracedProcess p, EngineOps owner, Watchpoint wp) {
        p.watchpoints.insert(owner, wp);
        try {
            applyWatchpoints(p);
        } catch (RuntimeException e) {
            p.watchpoints.remove(owner, wp);
            try {
                applyWatchpoints(p);
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            throw new TracingException("cannot insert " + wp + " in " + p + ": the kernel refused it (" + e.getMessage() + ")", e);
        }
    }

    /** Removes {@code owner}'s watchpoint of that range and kind, whichever method keeps it. */
    boolean removeWatchpoint(TracedProcess p, EngineOps owner, long address, int length, WatchKind kind) {
        if (p.detached) {
            return false;
        }
        if (p.watchpoints.remove(owner, new Watchpoint(address, length, kind))) {
            applyWatchpoints(p);
            return true;
        }
        // A software write watch removed: the threads stop stepping at their next stop.
        return p.softWatches.remove(owner, new Watchpoint(address, length, kind, WatchMethod.SOFTWARE), p.breakpoints);
    }

    /**
     * The software write watches whose bytes changed since the last look (none unless the process
     * has some), read through {@code t}'s own tid (see the rule at {@link SoftwareWatchTable}).
     */
    List<SoftwareWatchTable.Watch> softWatchHits(Task t) {
        return t.process.softWatches.stepping() ? t.process.softWatches.changed(t.tid) : List.of();
    }

    /**
     * A thread to read {@code p}'s memory through (see the rule at {@link SoftwareWatchTable}): one
     * that runs user code, else the process's pid.
     */
    static int memoryTid(TracedProcess p) {
        for (Task x : p.tasks.values()) {
            if (!x.exiting()) {
                return x.tid;
            }
        }
        return p.pid;
    }

    /**
     * Reports software watch hits to their owners' engines on {@code t}, inside the current pass.
     *
     * @param accessPc the instruction that made the change (the one stepped, or the syscall
     *                 instruction for a write by the kernel); -1 when not known
     */
    void softWatchRound(Task t, List<SoftwareWatchTable.Watch> hits, long accessPc) {
        for (SoftwareWatchTable.Watch w : hits) {
            Watchpoint wp = w.watchpoint;
            t.watchInstruction = accessPc;
            for (Engine e : t.engines) {
                if (!e.detached && e.wants(Event.WATCHPOINT) && w.ownedBy(e.ops)) {
                    cx.passes.vote(t, e, cx.passes.invoke(e, Event.WATCHPOINT, x -> x.ops.watchpoint(x, t, wp, wp.address())), false);
                }
            }
        }
    }

    /**
     * A syscall stop no engine asked for: the service runs syscall instructions this way while it
     * single-steps for software write watches (see {@link #softWatchStep}). At the exit the
     * watched bytes are compared (a write by the kernel, made by the syscall instruction two
     * bytes before the pc), and after a change of the signal mask it looks again whether SIGTRAP
     * is blocked.
     */
    void softWatchSyscallStop(Task t, SyscallInfo info) {
        if (info.isEntry()) {
            t.stateLabel = "syscall entry";
            cx.passes.requestedStop(t);
            return;
        }
        long nr = t.syscallNr;
        t.syscallNr = -1;
        t.stateLabel = "syscall exit";
        if (t.recheckTrapMask || nr == SYS_RT_SIGPROCMASK || nr == SYS_RT_SIGRETURN) {
            recheckTrapMask(t);
        }
        List<SoftwareWatchTable.Watch> hits = softWatchHits(t);
        if (hits.isEmpty()) {
            cx.passes.requestedStop(t);
            return;
        }
        t.stateLabel = hits.get(0).watchpoint.toString();
        cx.passes.beginPass(t, Event.WATCHPOINT);
        softWatchRound(t, hits, cx.regs(t).pc() - 2);
        cx.passes.endPass(t);
    }

    /**
     * How a task with software write watches in its process runs next, when no engine steps it:
     * {@code true} one instruction (PTRACE_SINGLESTEP), {@code false} to its next syscall stop
     * (PTRACE_SYSCALL).
     * <p>
     * Rule: the service never single-steps a {@code syscall} instruction, nor any instruction
     * while the thread blocks SIGTRAP. The kernel sends a step trap with force_sig, and forcing a
     * blocked signal resets the program's handler of it to SIG_DFL (raise() blocks every signal
     * around its tgkill; a SIGTRAP handler runs with SIGTRAP blocked): a program with its own
     * SIGTRAP handler would be killed by its next SIGTRAP. The syscall stops are ptrace reports,
     * not signals. The mask changes only at rt_sigprocmask, rt_sigreturn and a signal delivered
     * to a handler, which is where it is read again (/proc, rarely).
     * <p>
     * The instruction is read through the thread's own tid (see the rule at {@link SoftwareWatchTable}).
     */
    boolean softWatchStep(Task t) {
        if (t.trapBlocked || t.syscallNr != -1) {
            return false;
        }
        byte[] insn = t.insnScratch;
        return dev.multitrace.linux.Memory.readVm(t.tid, cx.regs(t).pc(), insn, 0, 2) != 2
                || insn[0] != 0x0f || insn[1] != 0x05;
    }

    void recheckTrapMask(Task t) {
        t.recheckTrapMask = false;
        try {
            t.trapBlocked = (ProcFs.status(t.tid).sigBlk() & (1L << (Signal.SIGTRAP - 1))) != 0;
        } catch (RuntimeException gone) {
            // The thread is gone: its death follows.
        }
    }
}
