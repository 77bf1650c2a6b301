package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.x86_64.Regs;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The state the pieces of the tracer share, and the pieces themselves: {@link Tracer} makes one
 * and hands it to each. Every piece is one concept (the request queue, the dispatch of a wait
 * status, stop-all, the reporting passes, the event stops, signal delivery, steps, watchpoints,
 * breakpoints and the step over them, the resume, attach, launch, detach) and reaches the others
 * through this object, because they call each other on the tracer thread's stack (a wait in
 * {@link Tracer#runUntil} dispatches every status, whichever piece waits).
 * <p>
 * Threading: every field here is read and written by the tracer thread only (rule 2 of
 * {@link Tracer}), except {@link #processes}, a concurrent map that other threads read for
 * listings and only the tracer thread writes. The pieces are made once, before the tracer thread
 * starts, and never change.
 */
final class TracerContext {

    final Tracer tracer;

    // --- Tracer-thread-only state. ---
    final Map<Integer, Task> tasks = new HashMap<>();

    /** Read by other threads for listings: a concurrent map, written only by the tracer thread. */
    final Map<Integer, TracedProcess> processes = new java.util.concurrent.ConcurrentHashMap<>();

    /** Launched processes we detached from: still our children, so we collect their exit status. */
    final Map<Integer, TracedProcess> detachedChildren = new HashMap<>();

    /** Fork children to let go at their first stop (fork following off): tid to what lets it go. */
    final Map<Integer, Runnable> forkChildrenToDetach = new HashMap<>();

    /** Fork children whose first stop came before the parent's FORK/VFORK event, held until it comes: tid to the parent's pid. */
    final Map<Integer, Integer> earlyForkChildren = new HashMap<>();

    /** Statuses to dispatch from the main loop (a pause ended, or seen while their task's pass was up the stack): (tid, status). */
    final ArrayDeque<int[]> deferred = new ArrayDeque<>();

    /** Statuses of tids an operation in progress waits for itself (a launch's first stops), queued for it. */
    final Map<Integer, ArrayDeque<Integer>> claimed = new HashMap<>();

    final int myPid = LibC.getpid();

    final int myUid = LibC.getuid();

    void addTask(Task t) {
        t.process.journal.add("add " + t.tid);
        tasks.put(t.tid, t);
        t.process.tasks.put(t.tid, t);
    }

    void forget(Task t) {
        t.process.journal.add("forget " + t.tid + " (" + t.stateLabel + ")");
        if (tasks.get(t.tid) == t) {
            tasks.remove(t.tid);
        }
        t.process.tasks.remove(t.tid, t);
    }

    Regs regs(Task t) {
        if (t.regs == null) {
            t.regs = Ptrace.getRegs(t.tid);
        }
        return t.regs;
    }

    void detachQuietly(int tid, int sig) {
        detached(tid, sig);
    }

    /** @return false if PTRACE_DETACH failed: the thread is gone, or not in a ptrace stop */
    static boolean detached(int tid, int sig) {
        try {
            Ptrace.detach(tid, sig);
            return true;
        } catch (LinuxException gone) {
            // Already gone: nothing is left to detach.
            return false;
        }
    }

    /** Whether {@code tid} exists and is not a zombie. */
    static boolean alive(int tid) {
        try {
            return dev.multitrace.linux.ProcFs.status(tid).state() != 'Z';
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /** Whether this JVM's tracer thread traces {@code tid} (the TracerPid of its status). */
    boolean tracedByUs(int tid) {
        try {
            return dev.multitrace.linux.ProcFs.status(tid).tracerPid() == myPid;
        } catch (RuntimeException gone) {
            return false;
        }
    }

    Task task(int tid) {
        return tasks.get(tid);
    }

    // --- The pieces, made once before the tracer thread starts. ---
    final RequestQueue queue;
    final Dispatcher dispatcher;
    final StopAll stopAll;
    final Passes passes;
    final TaskEvents taskEvents;
    final SignalDelivery signalDelivery;
    final Steps steps;
    final Watches watches;
    final Breakpoints breakpoints;
    final Resumer resumer;
    final Attacher attacher;
    final Launcher launcher;
    final Detacher detacher;

    TracerContext(Tracer tracer) {
        this.tracer = tracer;
        queue = new RequestQueue(this);
        dispatcher = new Dispatcher(this);
        stopAll = new StopAll(this);
        passes = new Passes(this);
        taskEvents = new TaskEvents(this);
        signalDelivery = new SignalDelivery(this);
        steps = new Steps(this);
        watches = new Watches(this);
        breakpoints = new Breakpoints(this);
        resumer = new Resumer(this);
        attacher = new Attacher(this);
        launcher = new Launcher(this);
        detacher = new Detacher(this);
    }
}
