package dev.multitrace.core;

import static dev.multitrace.linux.PtraceConstants.EVENT_CLONE;
import static dev.multitrace.linux.PtraceConstants.EVENT_EXEC;
import static dev.multitrace.linux.PtraceConstants.EVENT_FORK;
import static dev.multitrace.linux.PtraceConstants.EVENT_VFORK_DONE;

import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SyscallInfo;
import dev.multitrace.linux.x86_64.Regs;

import java.util.List;

/**
 * The event stops of a task's life: syscall stops, clone/fork/vfork, exec, exit, vfork-done, job
 * control and interrupt stops, and its death.
 * <p>
 * Threading: tracer thread only. A stop handled late (held during a pause, deferred during a
 * pass) may have been left meanwhile by a SIGKILL: {@link #eventMessage} tells.
 */
final class TaskEvents {

    private final TracerContext cx;

    TaskEvents(TracerContext cx) {
        this.cx = cx;
    }

    static final long SYS_CLONE3 = 435;

    static final long CLONE_VM = 0x100;

    void syscallStop(Task t) {
        SyscallInfo info = Ptrace.getSyscallInfo(t.tid);
        if (info.isEntry()) {
            t.syscallNr = info.nr();
        } else if (t.syscallNr == -1) {
            // An exit whose entry nobody saw (syscall stops were off then, or the task was just
            // attached or exec'ed): the kernel keeps the number in orig_rax.
            t.syscallNr = cx.regs(t).syscallNr();
        }
        if (!t.wantsSyscalls()) {
            cx.watches.softWatchSyscallStop(t, info);
            return;
        }
        SyscallReport report = new SyscallReport(info, t.syscallNr);
        if (info.isEntry()) {
            t.stateLabel = "syscall entry";
            cx.passes.beginPass(t, Event.SYSCALL_ENTRY);
            cx.passes.eventRound(t, Event.SYSCALL_ENTRY, true, e -> e.ops.syscallEntry(e, t, report));
            if (report.aborted()) {
                Regs r = cx.regs(t);
                r.set(Regs.ORIG_RAX, -1L); // the kernel skips a syscall whose number is -1
                Ptrace.setRegs(t.tid, r);
                t.process.modifications++; // after the engines' callbacks, which may have examined it
                t.abortPending = true;
                t.abortValue = report.abortValue();
            }
        } else {
            t.stateLabel = "syscall exit";
            if (t.abortPending) {
                t.abortPending = false;
                report.setReturnValue(t.abortValue);
            }
            List<SoftwareWatchTable.Watch> hits = cx.watches.softWatchHits(t);
            cx.passes.beginPass(t, Event.SYSCALL_EXIT);
            // A write the kernel made for this syscall (read(2) into watched bytes): the
            // syscall instruction, two bytes before the pc, made it.
            cx.watches.softWatchRound(t, hits, hits.isEmpty() ? -1 : cx.regs(t).pc() - 2);
            cx.passes.eventRound(t, Event.SYSCALL_EXIT, false, e -> e.ops.syscallExit(e, t, report));
            if (report.changedReturn() != null) {
                Regs r = cx.regs(t);
                r.setReturnValue(report.changedReturn());
                Ptrace.setRegs(t.tid, r);
                t.process.modifications++; // after the engines' callbacks, which may have examined it
            }
            t.syscallNr = -1;
        }
        cx.passes.endPass(t);
    }

    /** The exit event stop: reported while the task can still be examined; its death follows. */
    void exitEvent(Task t) {
        int code = (int) Ptrace.getEventMsg(t.tid);
        t.toExiting(); // from here on it runs no user code: a pause lets it go on to its death
        t.groupStopped = false; // nor is it in a group stop: it is resumed with CONT, never LISTEN
        t.stateLabel = "exiting";
        cx.passes.beginPass(t, Event.EXIT);
        cx.passes.eventRound(t, Event.EXIT, false, e -> e.ops.exit(e, t, code));
        if ((code & 0x7f) == Signal.SIGKILL) {
            // SIGKILL breaks every STOP: the task dies whatever we do, and an engine that
            // held it but did not ask for EXIT would otherwise keep it here for ever.
            for (Engine e : t.engines) {
                e.holdsStop = false;
            }
        }
        cx.passes.endPass(t);
        if (!t.stopped()) {
            t.toExiting();
        }
    }

    /** The end of a vfork (the child exec'd or exited; the parent runs again): reported as VFORK_DONE. */
    void vforkDoneEvent(Task t) {
        int child = (int) eventMessage(t, EVENT_VFORK_DONE);
        t.process.breakpoints.putBackAfterVfork(child); // before the engines hear of it: their breakpoints are in again
        t.stateLabel = "vfork done";
        cx.passes.beginPass(t, Event.VFORK_DONE);
        cx.passes.eventRound(t, Event.VFORK_DONE, false, e -> e.ops.vforkDone(e, t, child));
        cx.passes.endPass(t);
    }

    void groupStop(Task t, int sig) {
        t.interruptOutstanding = false;
        t.firstStop();
        if (!t.groupStopped) {
            t.groupStopped = true;
            t.stateLabel = "job control stop (" + Signal.name(sig) + ")";
            cx.passes.beginPass(t, Event.JCTL);
            cx.passes.eventRound(t, Event.JCTL, false, e -> e.ops.jctl(e, t, true, sig));
            cx.passes.endPass(t);
        } else {
            // Re-trapped from PTRACE_LISTEN by our own INTERRUPT: someone wants the task quiescent.
            cx.passes.requestedStop(t);
        }
    }

    void interruptStop(Task t, boolean wasStepping) {
        t.interruptOutstanding = false;
        if (wasStepping) {
            // A PTRACE_INTERRUPT sent while the task sat in a stop we had not collected yet is not
            // consumed by that stop (the kernel clears a pending STOP trap only at traps after it):
            // it traps at the next resume, before the instruction a step was resumed for. The step
            // has not run: ask for it again, or it silently becomes a continue.
            for (Engine e : t.steppers) {
                if (!e.detached && e.stepRequest == null && !e.holdsStop) {
                    e.stepRequest = ResumeAction.SINGLESTEP;
                }
            }
        }
        if (t.firstStop()) {
            t.stateLabel = "new thread";
        }
        if (t.groupStopped) {
            // A LISTENing tracee woken by SIGCONT traps with SIGTRAP: the group stop is over.
            t.groupStopped = false;
            t.stateLabel = "continued";
            cx.passes.beginPass(t, Event.JCTL);
            cx.passes.eventRound(t, Event.JCTL, false, e -> e.ops.jctl(e, t, false, Signal.SIGCONT));
            cx.passes.endPass(t);
            return;
        }
        cx.passes.requestedStop(t);
    }

    void cloneEvent(Task parent, int event) {
        int childTid = (int) eventMessage(parent, event);
        CloneKind kind = event == EVENT_CLONE ? cloneKind(parent, childTid) : event == EVENT_FORK ? CloneKind.FORK : CloneKind.VFORK;
        Task child = cx.tasks.get(childTid);
        parent.process.journal.add("clone event of " + parent.tid + ": " + kind + " " + childTid
                + (child != null ? " (known already)" : ""));
        if (kind != CloneKind.THREAD && (!parent.process.followForks || parent.process.detached)) {
            if (kind == CloneKind.VFORK && !parent.process.detached) {
                parent.process.breakpoints.takeOutForVfork(childTid); // the child is still stopped: before it runs
            }
            Runnable letGo = letGoOfForkChild(parent.process, childTid, kind);
            if (child != null) {
                cx.forget(child);
                letGo.run();
            } else if (cx.earlyForkChildren.remove(childTid) != null) {
                letGo.run();
            } else {
                cx.forkChildrenToDetach.put(childTid, letGo);
            }
            if (parent.process.detached) {
                cx.resumer.maybeResume(parent);
                return;
            }
            // The parent's engines are told (a debugger's fork catchpoint stops here): the
            // child goes its own way meanwhile, whatever they answer.
            parent.stateLabel = kind == CloneKind.VFORK ? "vfork" : "fork";
            cx.passes.beginPass(parent, Event.CLONE);
            cx.passes.eventRound(parent, Event.CLONE, false, e -> e.ops.forkLetGo(e, parent, childTid, kind));
            cx.passes.endPass(parent);
            return;
        }
        if (child == null) {
            TracedProcess p = parent.process;
            if (kind != CloneKind.THREAD) {
                p = new TracedProcess(childTid, false, false);
                p.followForks = true;
                p.breakpoints = parent.process.breakpoints.copyFor(childTid, kind != CloneKind.FORK);
                // The kernel gives the child clean debug registers; a followed child gets the
                // parent's watchpoints from us, written at its first resume, like its int3 copies.
                p.watchpoints.copyFrom(parent.process.watchpoints);
                p.softWatches.copyFrom(parent.process.softWatches);
                cx.processes.put(childTid, p);
            }
            child = new Task(childTid, p);
            child.awaitFirstStop();
            child.stateLabel = "new thread";
            cx.addTask(child);
        } else {
            if (kind != CloneKind.THREAD && kind != CloneKind.FORK) {
                child.process.breakpoints.markShared(); // its first stop came first, with a copy's table
            }
            child.parentReported();
        }
        Task c = child;
        parent.stateLabel = "clone";
        cx.passes.beginPass(parent, Event.CLONE);
        cx.passes.eventRound(parent, Event.CLONE, false, e -> e.ops.clone(e, parent, c, kind));
        cx.passes.endPass(parent);
        if (c.stopped()) {
            // Its initial stop came first; engines attached to it in the callback may hold it.
            cx.passes.requestedStop(c);
        }
    }

    /**
     * What a PTRACE_EVENT_CLONE made. The kernel reports every clone without SIGCHLD as its exit
     * signal (and without CLONE_VFORK) as a CLONE event, threads and processes alike: a clone()
     * without CLONE_THREAD is a thread group of its own (its Tgid is its tid), a child process
     * its parent waits for with __WCLONE/__WALL. Such a child is a process like a fork child
     * (its own {@link TracedProcess}, followed or let go per followForks): never a thread of the
     * parent's process, whose stop-all, kill and exit it does not share. Whether it shares the
     * parent's memory (CLONE_VM) decides whether our int3 bytes in it are its own copies (FORK)
     * or the parent's (PROCESS_SHARED_VM). The flags are read from the parent's clone/clone3
     * arguments: at this event stop the parent is still inside the syscall, its registers are
     * the call's.
     */
    CloneKind cloneKind(Task parent, int childTid) {
        int tgid;
        try {
            tgid = ProcFs.status(childTid).tgid();
        } catch (RuntimeException gone) {
            return CloneKind.THREAD; // already gone (killed): its exit and death follow as a thread's
        }
        if (tgid != childTid) {
            return CloneKind.THREAD;
        }
        long flags;
        try {
            Regs r = cx.regs(parent);
            long nr = r.syscallNr();
            flags = nr == SYS_CLONE3 ? Ptrace.peekData(parent.tid, r.rdi()) : r.rdi();
        } catch (RuntimeException unreadable) {
            flags = CLONE_VM; // the safe guess: our int3 bytes in it are not its own to take out
        }
        return (flags & CLONE_VM) != 0 ? CloneKind.PROCESS_SHARED_VM : CloneKind.FORK;
    }

    /**
     * What lets an unfollowed fork child go: a fork child's memory is a copy of the parent's,
     * int3 bytes included, so they are taken out of it first. A vfork child shares the parent's
     * memory until it execs or exits, so its bytes (the parent's) must stay.
     */
    Runnable letGoOfForkChild(TracedProcess parent, int childTid, CloneKind kind) {
        // The sites as they are at the fork: the child's first stop can come after the parent
        // let them go (a detach, an exec, its death), and the child's copy still has the int3s.
        BreakpointTable inChild = kind == CloneKind.FORK && !parent.breakpoints.isEmpty()
                ? parent.breakpoints.copyFor(childTid, false) : null;
        return () -> {
            parent.journal.add("let go of fork child " + childTid + (inChild != null ? ", its int3 copies restored" : ""));
            if (inChild != null) {
                try {
                    inChild.restoreAll();
                } catch (RuntimeException gone) {
                    // The child died already: nothing to restore.
                }
            }
            cx.detachQuietly(childTid, 0);
        };
    }

    /**
     * The message of the event stop {@code t} is reported in (a new child's tid, the former tid of
     * an exec). A stop handled late (held during a pause, deferred during a pass) may have been
     * left meanwhile: only SIGKILL takes a tracee out of a ptrace stop we did not resume, and it
     * takes it into its exit stop, whose message is the exit code (a "new thread" with tid 9).
     * The siginfo read after the message tells whether it was still this event's stop, because a
     * tracee never re-enters a stop it has left.
     *
     * @throws NoSuchTaskException when the task left that stop: it is dying, its exit stop and
     *         death follow
     */
    static long eventMessage(Task t, int event) {
        long message = Ptrace.getEventMsg(t.tid);
        if (Ptrace.getSigInfo(t.tid).code() != (Signal.SIGTRAP | (event << 8))) {
            throw new NoSuchTaskException("PTRACE_GETEVENTMSG (the event stop was left)", t.tid);
        }
        return message;
    }

    void execEvent(Task t) {
        int former = (int) eventMessage(t, EVENT_EXEC);
        Task execer = cx.tasks.get(former);
        if (former != t.tid && execer != null && execer != t && execer.process == t.process) {
            // A non-leader thread exec'd. The kernel reports the exec under the leader's tid,
            // which the exec'ing thread has taken (de_thread), so the status came to the old
            // leader's Task: the stop is the exec'ing thread's, and it goes on as that Task with
            // its engines; the old leader (released by the kernel, no status of its own will
            // come) dies here, DEATH and REAP to its engines, its statuses not handled yet dropped.
            Task oldLeader = t;
            execer.stopTaken();
            execer.stepping = false;
            execer.parentReported();
            cx.dispatcher.dropPending(oldLeader);
            oldLeader.leftStop();
            died(oldLeader, 0); // raw 0: never taken for the process's exit status
            t = execer;
        }
        if (t.tid != t.process.pid) {
            // The exec'ing thread takes the leader's tid; any other Task under it is gone.
            Task leader = cx.tasks.get(t.process.pid);
            if (leader != null && leader != t) {
                died(leader, 0);
            }
            cx.tasks.remove(t.tid, t);
            t.process.tasks.remove(t.tid, t);
            Task moved = t;
            moved.tid = t.process.pid;
            cx.addTask(moved);
        }
        t.execed(); // the thread that exec'd lives on, whatever its tid reported before
        TracedProcess p = t.process;
        if (p.breakpoints.plantedInCurrentImage()) {
            // Seized during this exec: the int3s went into the new image, they stay (and are removed as usual).
            p.journal.add("exec of " + t.tid + " reported after our int3s went into its new image: kept");
        } else {
            p.breakpoints.forgetAll(); // the old image, and our int3s in it, are gone
            p.softWatches.forgetAll();
        }
        if (t.debugRegisters.stillEnabled(t.tid)) {
            p.journal.add("exec of " + t.tid + " reported after our debug registers were written in its new image: kept");
        } else {
            // The kernel clears the debug registers at exec (flush_thread): the slots are free again.
            p.watchpoints.forgetAll();
            t.debugRegisters.clearedByKernel();
        }
        t.stateLabel = "exec";
        Task x = t;
        cx.passes.beginPass(x, Event.EXEC);
        cx.passes.eventRound(x, Event.EXEC, false, e -> e.ops.exec(e, x, former));
        cx.passes.endPass(x);
    }

    void died(Task t, int raw) {
        ExitStatus st = ExitStatus.of(raw);
        t.process.journal.add("death of " + t.tid + ": " + st);
        t.toDead();
        t.leftStop();
        t.toExiting();
        t.generation++;
        t.stateLabel = st.toString();
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(Event.DEATH)) {
                ResumeAction a = cx.passes.invoke(e, Event.DEATH, x -> x.ops.death(x, t, st));
                if (a == ResumeAction.DETACH) {
                    e.detached = true;
                }
            }
        }
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(Event.REAP)) {
                cx.passes.invoke(e, Event.REAP, x -> {
                    x.ops.reap(x, t);
                    return ResumeAction.RESUME;
                });
            }
        }
        for (Engine e : t.engines) {
            e.detached = true;
            e.holdsStop = false;
        }
        TracedProcess p = t.process;
        cx.forget(t);
        if (t.tid == p.pid && raw != 0) {
            p.exit.complete(st);
        }
        if (p.tasks.isEmpty()) {
            if (TracerContext.alive(p.pid) && cx.tracedByUs(p.pid)) {
                cx.tracer.errorHandler.accept(new TracingException("process " + p.pid + " taken for gone when its last"
                        + " known thread " + t.tid + " ended (" + st + "), yet it lives on, traced by us"));
            }
            cx.detacher.letGoOfEarlyForkChildren(p); // their parent's FORK event will never come now
            p.breakpoints.closeMemory();
            cx.processes.remove(p.pid);
            p.detached = true;
            p.exit.complete(st);
        }
    }
}
