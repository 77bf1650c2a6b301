package dev.multitrace.core;

import static dev.multitrace.linux.PtraceConstants.EVENT_CLONE;
import static dev.multitrace.linux.PtraceConstants.EVENT_EXEC;
import static dev.multitrace.linux.PtraceConstants.EVENT_FORK;
import static dev.multitrace.linux.PtraceConstants.EVENT_VFORK;
import static dev.multitrace.linux.PtraceConstants.EVENT_VFORK_DONE;

import dev.multitrace.linux.Errno;
import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcStatus;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.SigInfo;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SignalDefault;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;
import dev.multitrace.linux.Stdio;
import dev.multitrace.linux.SyscallInfo;
import dev.multitrace.linux.x86_64.DebugRegisters;
import dev.multitrace.linux.x86_64.Regs;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The tracer thread and everything it owns.
 * <p>
 * What it decides without the kernel is elsewhere: {@link Stop} decodes a wait status,
 * {@link Arbiter} runs the engines' votes and says whether and how a stopped task resumes (the
 * kernel-free model check in core.tests drives it), {@link Task.Life} is a thread's life. What is
 * left here applies those decisions with ptrace, and it is still over 800 lines (about 2,500)
 * for a reason not yet removed: the request queue, the dispatch, the step-over, the pauses and
 * attach/launch/detach share the tracer-thread-only state below and call each other on the
 * stack (a wait in {@link #runUntil} dispatches every status), so a cut needs an explicit
 * context object for that state first. That cut (issue 12) is the next step.
 *
 * <h2>Threading rules</h2>
 * <ol>
 * <li>One long-lived platform thread, {@link #thread}, issues every ptrace and waitpid call: the
 * kernel accepts ptrace requests only from the thread that attached, and if that thread exited its
 * tracees would be detached (or, with EXITKILL, killed).</li>
 * <li>All fields not marked volatile or concurrent here and in {@link Task} and {@link Engine} are
 * read and written by the tracer thread only. Other threads reach them only through {@link #call},
 * which queues a request for the tracer thread and waits for the answer. On the tracer thread
 * (inside a callback) {@link #call} runs the request at once, so callbacks can call every engine
 * method without deadlock.</li>
 * <li>The tracer thread sleeps in {@code waitpid(-1, __WALL|__WNOTHREAD)}. {@code __WNOTHREAD}
 * makes it see only its own children and tracees, never the JDK's. To wake it for a request, a
 * requester signals the <em>doorbell</em>: a {@code sleep} process this thread traces, whose
 * signal-delivery-stop ends the wait. A stop is queued by the kernel, so a ring that comes just
 * before the wait starts is not lost (a signal handler in the JVM would have that race).
 * {@link #waiting} and {@link #rung} are volatile and make a requester ring only when the tracer
 * may be waiting, once per wait.</li>
 * <li>Engine callbacks run on the tracer thread, between the stop and the resume of their task,
 * and must not block.</li>
 * <li><b>The tracer thread never blocks on one task.</b> It never calls {@code waitpid} for a single
 * tid: a death elsewhere in the process can hold that tid's next status back for ever (a thread
 * group leader's death is reported only after every other thread is reaped; a thread in an exec
 * waits for the others to die; a SIGKILLed thread parked in a ptrace stop waits for us). Every
 * multi-step operation keeps an explicit state and continues from the statuses that come through
 * {@code waitpid(-1, __WALL|__WNOTHREAD)}, whatever comes in between (SIGKILL, exit_group or exec
 * by another thread, a crash, the parent reaping it): the step over a breakpoint is a
 * {@link StepOver} of its process, driven by its task's statuses; a pause (the threads of a
 * process kept stopped, {@link TracedProcess#pauses}) holds the stops it sees and lets nothing
 * resume until it ends. An operation that must answer its caller with the result (attach, detach,
 * a debug-register write, launch) waits by running the event loop ({@link #runUntil}): every
 * status is dispatched as it comes, deaths are reaped, and the wait ends when its condition holds
 * or the tasks it waits for are gone. While such a wait runs: a status of a task in a reporting
 * pass further up the stack is deferred to the main loop; a stop of a thread of a paused process
 * is held until the pause ends, except its exit stop (an exiting thread runs no user code, and an
 * exec or the leader's death waits for it) and its death, which are handled at once.</li>
 * </ol>
 */
final class Tracer implements Runnable {

    /** Options of every seize: clones followed (threads are traced automatically), exec and exit
     *  reported, syscall-stops told apart from SIGTRAP, fork children seen so that they can be
     *  detached (or followed) explicitly, and the end of a vfork (the child exec'd or exited, the
     *  parent runs again) reported as VFORK_DONE. */
    static final int OPTIONS = PtraceConstants.TRACECLONE | PtraceConstants.TRACEEXEC | PtraceConstants.TRACEEXIT
            | PtraceConstants.TRACESYSGOOD | PtraceConstants.TRACEFORK | PtraceConstants.TRACEVFORK
            | PtraceConstants.TRACEVFORKDONE;

    private static final int ANY_STOP = -1;
    /** The x86 resume flag: the next instruction does not fault on an instruction breakpoint. */
    private static final long EFLAGS_RF = 1L << 16;
    /** The x86 trap flag: a single-step trap after the next instruction. */
    private static final long EFLAGS_TF = 1L << 8;
    private static final long SYS_RT_SIGPROCMASK = 14;
    private static final long SYS_RT_SIGRETURN = 15;
    private static final long SYS_CLONE3 = 435;
    private static final long CLONE_VM = 0x100;
    private static final int WAIT_ANY = PtraceConstants.__WALL | PtraceConstants.__WNOTHREAD;
    /** Rounds of resuming threads with a SIGTRAP queued at a detach: see drainQueuedTraps. */
    private static final int MAX_DRAIN_ROUNDS = 4;

    final Thread thread;
    private final ConcurrentLinkedQueue<FutureTask<?>> requests = new ConcurrentLinkedQueue<>();
    private volatile boolean waiting;
    private final AtomicBoolean rung = new AtomicBoolean();
    private volatile int doorbell;
    private volatile boolean closing;
    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
    private volatile Throwable startFailure;
    volatile Consumer<Throwable> errorHandler = t -> System.getLogger("dev.multitrace.core")
            .log(System.Logger.Level.WARNING, "engine callback failed", t);

    // --- Tracer-thread-only state. ---
    private final Map<Integer, Task> tasks = new HashMap<>();
    /** Read by other threads for listings: a concurrent map, written only by the tracer thread. */
    final Map<Integer, TracedProcess> processes = new java.util.concurrent.ConcurrentHashMap<>();
    /** Launched processes we detached from: still our children, so we collect their exit status. */
    private final Map<Integer, TracedProcess> detachedChildren = new HashMap<>();
    /** Fork children to let go at their first stop (fork following off): tid to what lets it go. */
    private final Map<Integer, Runnable> forkChildrenToDetach = new HashMap<>();
    /** Fork children whose first stop came before the parent's FORK/VFORK event, held until it comes: tid to the parent's pid. */
    private final Map<Integer, Integer> earlyForkChildren = new HashMap<>();
    /** Statuses to dispatch from the main loop (a pause ended, or seen while their task's pass was up the stack): (tid, status). */
    private final ArrayDeque<int[]> deferred = new ArrayDeque<>();
    /** Statuses of tids an operation in progress waits for itself (a launch's first stops), queued for it. */
    private final Map<Integer, ArrayDeque<Integer>> claimed = new HashMap<>();
    /** How many waits ({@link #runUntil}) are running on the stack: 0 in the main loop. */
    private int loopDepth;
    private final int[] status = new int[1];
    private final int myPid = LibC.getpid();
    private final int myUid = LibC.getuid();
    /** PTRACE_SINGLEBLOCK needs the CPU's branch trap; cleared at the first refusal. */
    private boolean blockStepWorks = true;

    Tracer() {
        thread = new Thread(this, "multitrace-tracer");
        thread.setDaemon(true);
        thread.start();
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null) {
            throw new TracingException("the tracing service could not start: " + startFailure.getMessage(), startFailure);
        }
    }

    boolean onTracerThread() {
        return Thread.currentThread() == thread;
    }

    // ------------------------------------------------------------------ requests

    /** Runs {@code c} on the tracer thread and returns its result (rule 2). */
    <T> T call(Callable<T> c) {
        if (onTracerThread()) {
            try {
                return c.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new TracingException(e.getMessage(), e);
            }
        }
        if (!thread.isAlive()) {
            throw new TracingException("the tracing service is closed");
        }
        FutureTask<T> f = new FutureTask<>(c);
        requests.add(f);
        ring();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TracingException("interrupted while waiting for the tracer thread", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                r.addSuppressed(new TracingException("called from " + Thread.currentThread().getName()));
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new TracingException(String.valueOf(cause.getMessage()), cause);
        }
    }

    /**
     * Queues {@code r} for the tracer thread without waiting for it. Used where the caller may be
     * racing a callback that waits for the caller: waiting here would deadlock.
     */
    void post(Runnable r) {
        if (onTracerThread()) {
            r.run();
            return;
        }
        requests.add(new FutureTask<>(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                errorHandler.accept(e);
            }
            return null;
        }));
        ring();
    }

    private void ring() {
        if (waiting && rung.compareAndSet(false, true)) {
            LibC.kill(doorbell, Signal.SIGURG);
        }
    }

    void close() {
        if (!thread.isAlive()) {
            return;
        }
        call(() -> {
            for (TracedProcess p : new ArrayList<>(processes.values())) {
                if (p.launched) {
                    LibC.kill(p.pid, Signal.SIGKILL);
                } else {
                    detachProcess(p);
                }
            }
            closing = true;
            return null;
        });
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the loop

    @Override
    public void run() {
        try {
            startDoorbell();
        } catch (Throwable t) {
            startFailure = t;
            started.countDown();
            return;
        }
        started.countDown();
        while (!(closing && processes.isEmpty())) {
            FutureTask<?> r;
            while ((r = requests.poll()) != null) {
                r.run();
            }
            if (closing && processes.isEmpty()) {
                break;
            }
            if (!deferred.isEmpty()) {
                int[] d = deferred.poll();
                try {
                    dispatch(d[0], d[1], false);
                } catch (RuntimeException e) {
                    errorHandler.accept(e);
                }
                continue;
            }
            waiting = true;
            if (!requests.isEmpty()) {
                waiting = false;
                continue;
            }
            int tid = LibC.waitpid(-1, status, WAIT_ANY);
            waiting = false;
            if (tid > 0) {
                try {
                    dispatch(tid, status[0], true);
                } catch (RuntimeException e) {
                    errorHandler.accept(e);
                }
            } else {
                int errno = LibC.errno();
                if (errno == Errno.ECHILD) {
                    startDoorbell();
                } else if (errno != Errno.EINTR) {
                    errorHandler.accept(LinuxException.of(errno, "waitpid(-1)"));
                }
            }
        }
        // The doorbell is our child: reaped, not left a zombie of the JVM.
        int bell = doorbell;
        LibC.kill(bell, Signal.SIGKILL);
        int gone;
        do {
            gone = LibC.waitpid(-1, status, WAIT_ANY);
            TracedProcess child = gone > 0 ? detachedChildren.remove(gone) : null;
            if (child != null) {
                letGoChildEnded(child, ExitStatus.of(status[0]));
            }
        } while (gone != bell && (gone > 0 || LibC.errno() == Errno.EINTR));
        reapDetachedChildrenLater();
        FutureTask<?> r;
        while ((r = requests.poll()) != null) {
            r.cancel(false);
        }
    }

    /**
     * A program we launched and let go ended and this thread reaped it: its status goes to the
     * service's clients and, kept by pid, to those that watch it from outside (the debug model's
     * watcher of a disconnected program, whose own wait now finds nothing to reap).
     */
    private static void letGoChildEnded(TracedProcess child, ExitStatus status) {
        HostProcesses.REAPED_BY_SERVICE.put(child.pid, CompletableFuture.completedFuture(status));
        child.exit.complete(status);
    }

    /**
     * Programs we launched and detached from are still our children: once this thread is gone
     * nobody would wait for them, and each would stay a zombie of the JVM after its end (a killed
     * program the service was closed right after, a detached one that ends later). A daemon thread
     * per child waits for that one pid. This does not break rule 5 (never block on one task):
     * they are no longer traced, this is not the tracer thread, and nothing else waits any more.
     */
    private void reapDetachedChildrenLater() {
        for (TracedProcess child : new ArrayList<>(detachedChildren.values())) {
            CompletableFuture<ExitStatus> reaped = new CompletableFuture<>();
            HostProcesses.REAPED_BY_SERVICE.put(child.pid, reaped); // for a client watching it by pid
            Thread reaper = new Thread(() -> {
                int[] st = new int[1];
                int got;
                do {
                    got = LibC.waitpid(child.pid, st, PtraceConstants.__WALL);
                } while (got < 0 && LibC.errno() == Errno.EINTR);
                ExitStatus end = got == child.pid ? ExitStatus.of(st[0]) : null;
                reaped.complete(end);
                child.exit.complete(end);
            }, "multitrace-reaper-" + child.pid);
            reaper.setDaemon(true);
            reaper.start();
        }
        detachedChildren.clear();
    }

    /** Returned by {@link #nextStatusOf} when the tid cannot be waited for (gone, or not ours). */
    private static final int NO_STATUS = -1;

    /**
     * Runs the event loop until {@code done} holds: every status is dispatched as in the main loop
     * (see the rule "never blocks on one task"). Requests wait for the outer operation to end.
     *
     * @return false if nothing is left to wait for (ECHILD) or the wait failed: what the caller
     *         waits for will not come
     */
    private boolean runUntil(java.util.function.BooleanSupplier done) {
        loopDepth++;
        try {
            while (!done.getAsBoolean()) {
                int tid = LibC.waitpid(-1, status, WAIT_ANY);
                if (tid > 0) {
                    try {
                        dispatch(tid, status[0], true);
                    } catch (RuntimeException e) {
                        errorHandler.accept(e);
                    }
                    continue;
                }
                int errno = LibC.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                if (errno == Errno.ECHILD) {
                    startDoorbell();
                } else {
                    errorHandler.accept(LinuxException.of(errno, "waitpid(-1)"));
                }
                return false;
            }
            return true;
        } finally {
            loopDepth--;
        }
    }

    /**
     * The next status of a tid that no task stands for yet (a launched child before its exec),
     * claimed by the caller: waits by running the event loop, never with a waitpid on the tid.
     */
    private int nextStatusOf(int tid) {
        ArrayDeque<Integer> q = claimed.computeIfAbsent(tid, k -> new ArrayDeque<>());
        if (q.isEmpty() && !runUntil(() -> !q.isEmpty())) {
            return NO_STATUS;
        }
        return q.poll();
    }

    private void startDoorbell() {
        SpawnedProcess p = new Spawner(List.of("sleep", "infinity")).stdin(Stdio.NULL).stdout(Stdio.NULL)
                .stderr(Stdio.NULL).start();
        Ptrace.seize(p.pid(), PtraceConstants.EXITKILL);
        p.release();
        doorbell = p.pid();
    }

    private void doorbellEvent(int raw) {
        rung.set(false);
        if (Stop.isStop(raw)) {
            Ptrace.cont(doorbell, 0);
        } else {
            startDoorbell();
        }
    }

    // ------------------------------------------------------------------ dispatch of one wait status

    /** @param fresh the status comes from waitpid now (else from {@link #deferred}) */
    private void dispatch(int tid, int raw, boolean fresh) {
        if (tid == doorbell) {
            doorbellEvent(raw);
            return;
        }
        ArrayDeque<Integer> claim = claimed.get(tid);
        if (claim != null) {
            claim.add(raw);
            return;
        }
        Task t = tasks.get(tid);
        if (t == null) {
            unknownTask(tid, raw);
            return;
        }
        TracedProcess p = t.process;
        route(t, raw, fresh);
        advanceStepOver(p);
    }

    /** Where one status of a known task goes: see the rule "never blocks on one task". */
    private void route(Task t, int raw, boolean fresh) {
        boolean stop = Stop.isStop(raw);
        if (fresh && t.hasDeferredStop) {
            // Only SIGKILL takes a tracee out of a ptrace stop we did not resume: a status seen
            // for that stop and not handled yet tells of a place it has left.
            dropPending(t);
        }
        StepOver so = t.process.stepOver;
        if (so != null && so.task == t) {
            endStepOver(so, stop);
        }
        if (loopDepth > 0 && t.inPass) {
            defer(t, raw, stop);
            return;
        }
        if (t.process.pauses > 0 && stop && !Stop.isExitStop(raw)) {
            pausedStop(t, raw);
            return;
        }
        handle(t, raw);
    }

    /** Handles one status of a task: reports it to the engines and resumes the task if nobody holds it. */
    private void handle(Task t, int raw) {
        Stop stop = Stop.decode(raw);
        StepOver so = t.steppedOver;
        if (so != null) {
            t.steppedOver = null;
            if (stop instanceof Stop.Delivery d && d.signal() == Signal.SIGTRAP) {
                afterStepOver(t, so);
                return;
            }
            // Something else came first (a signal, an exit, or a PTRACE_INTERRUPT that reached the
            // task while it sat in an unreported stop): handled as usual. If the instruction under
            // the breakpoint has not run yet, the next resume must step over it.
            t.stepping = so.engineStep; // an engine's step that an event stop interrupts stays pending
            if (!(stop instanceof Stop.Gone)) {
                t.stopped = true;
                t.regs = null;
                try {
                    t.atReportedSite = regs(t).pc() == so.site.address;
                } catch (NoSuchTaskException gone) {
                    t.atReportedSite = false; // killed meanwhile: its death follows
                }
            }
        }
        if (stop instanceof Stop.Gone) {
            died(t, raw);
            return;
        }
        t.stopped = true;
        t.hasDeferredStop = false;
        t.regs = null;
        // Any ptrace stop consumes a pending PTRACE_INTERRUPT (the kernel clears JOBCTL_TRAP_STOP
        // at every trap): whoever wanted a stop gets this one.
        t.interruptOutstanding = false;
        boolean wasStepping = t.stepping;
        t.stepping = false;
        if (wasStepping && !(stop instanceof Stop.Delivery)) {
            // An interrupt that came after the stepped instruction ran traps before the step's
            // SIGTRAP is dequeued (so does a syscall's exit after a step from its entry stop):
            // that trap waits queued, and whatever resume comes next dequeues it.
            t.stepTrapMayBeQueued = true;
        }
        if (wasStepping && stop.insideInstruction()) {
            // A stop inside the syscall the step is executing (fork, clone, exec, a syscall-stop):
            // the instruction has not completed, so the step has not either.
            keepStepPending(t);
        }
        try {
            switch (stop) {
                case Stop.Syscall s -> syscallStop(t);
                case Stop.Delivery d -> signalStop(t, d.signal(), wasStepping);
                case Stop.Clone c -> cloneEvent(t, c.event());
                case Stop.Exec x -> execEvent(t);
                case Stop.Exit x -> exitEvent(t);
                case Stop.GroupStop g -> groupStop(t, g.signal());
                case Stop.Interrupt x -> interruptStop(t, wasStepping);
                case Stop.VforkDone x -> vforkDoneEvent(t);
                case Stop.OtherEvent x -> maybeResume(t); // anything else: nothing to report
                case Stop.Gone x -> throw new IllegalStateException("handled above");
            }
        } catch (NoSuchTaskException gone) {
            // Killed while we looked at it (SIGKILL needs no permission from us): its death follows.
            t.stopped = false;
            t.toExiting();
            t.inPass = false;
        }
    }

    // ------------------------------------------------------------------ pauses and waits

    /** A stop seen while the task's pass is up the stack: dispatched by the main loop after it. */
    private void defer(Task t, int raw, boolean stop) {
        if (stop) {
            t.stopped = true;
        } else {
            t.stopped = false;
            t.toExiting();
        }
        t.hasDeferredStop = true;
        deferred.add(new int[] {t.tid, raw});
    }

    /** Forgets the statuses of {@code t} seen and not handled yet. */
    private void dropPending(Task t) {
        t.process.held.removeIf(d -> d[0] == t.tid);
        deferred.removeIf(d -> d[0] == t.tid);
        t.hasDeferredStop = false;
    }

    /**
     * A stop of a thread of a paused process. A plain interrupt stop (ours, or one nobody waits
     * to be told of) is the pause's and is taken here; any other stop is held as seen and
     * handled when the pause ends.
     */
    private void pausedStop(Task t, int raw) {
        Stop stop = Stop.decode(raw);
        t.stopped = true;
        t.regs = null;
        t.interruptOutstanding = false;
        boolean reportWanted = false;
        for (Engine e : t.engines) {
            reportWanted |= e.interruptPending || e.quiescePending;
        }
        boolean interrupt = stop instanceof Stop.Interrupt i && i.signal() == Signal.SIGTRAP && !t.groupStopped;
        // A group stop is the pause's when it is not news: the task was in it already (re-trapped
        // from PTRACE_LISTEN), or nobody is attached to be told (a thread being seized).
        boolean groupStop = stop instanceof Stop.GroupStop && (t.groupStopped || t.engines.length == 0);
        if ((interrupt || groupStop) && !reportWanted && !t.stepping && t.steppedOver == null) {
            t.hasDeferredStop = false;
            if (groupStop) {
                t.groupStopped = true;
                t.stateLabel = "job control stop (" + Signal.name(((Stop.GroupStop) stop).signal()) + ")";
            } else if (t.awaitingInitialStop) {
                t.awaitingInitialStop = false;
                t.stateLabel = "new thread";
            } else {
                t.stateLabel = "stopped";
            }
            return;
        }
        t.hasDeferredStop = true;
        t.process.held.add(new int[] {t.tid, raw});
    }

    /** Pauses {@code p}: every thread stopped (or exiting, or gone) when this returns, until {@link #unpause}. */
    private void pause(TracedProcess p) {
        p.pauses++;
        stopAndAwait(p);
    }

    /** Interrupts the threads of {@code p} that run and waits, running the event loop, until each is stopped or gone. */
    private void stopAndAwait(TracedProcess p) {
        for (Task x : new ArrayList<>(p.tasks.values())) {
            if (!settled(x)) {
                requestStop(x);
            }
        }
        advanceStepOver(p); // a step-over in flight goes on: its task's next status is part of the wait
        if (!runUntil(() -> allSettled(p))) {
            for (Task x : new ArrayList<>(p.tasks.values())) {
                if (!settled(x)) {
                    forget(x); // nothing is left to report it: it is gone
                    x.toDead();
                }
            }
        }
    }

    /** Ends one pause of {@code p}; after the last, held stops are dispatched and the threads nobody holds resume. */
    private void unpause(TracedProcess p) {
        if (p.pauses > 0 && --p.pauses > 0) {
            return;
        }
        int[] h;
        while ((h = p.held.poll()) != null) {
            deferred.add(h);
        }
        for (Task x : new ArrayList<>(p.tasks.values())) {
            maybeResume(x);
        }
    }

    /** Runs no user code until we resume it: stopped, exiting (past its exit stop) or gone. */
    private static boolean settled(Task x) {
        return x.stopped || x.dead() || x.exiting();
    }

    private static boolean allSettled(TracedProcess p) {
        for (Task x : p.tasks.values()) {
            if (!settled(x)) {
                return false;
            }
        }
        return true;
    }

    private void unknownTask(int tid, int raw) {
        TracedProcess child = detachedChildren.get(tid);
        if (child != null) {
            if (!Stop.isStop(raw)) {
                detachedChildren.remove(tid);
                letGoChildEnded(child, ExitStatus.of(raw));
            }
            return;
        }
        if (!Stop.isStop(raw)) {
            // An exit of something we let go of, or of a fork child killed before its first stop:
            // nothing may stay kept under its tid, which the kernel gives out again once pids wrap.
            forkChildrenToDetach.remove(tid);
            earlyForkChildren.remove(tid);
            return;
        }
        Runnable letGo = forkChildrenToDetach.remove(tid);
        if (letGo != null) {
            letGo.run();
            return;
        }
        // The first stop of an auto-attached clone can come before its parent's CLONE event.
        ProcStatus st;
        try {
            st = ProcFs.status(tid);
        } catch (RuntimeException e) {
            return;
        }
        // Killed (SIGKILL, a group exit) before its first stop: this is its exit stop, not an
        // initial stop, and the parent's CLONE or FORK event may never come.
        boolean exitStop = Stop.isExitStop(raw);
        TracedProcess p = processes.get(st.tgid());
        if (p != null) {
            Task t = new Task(tid, p);
            t.stopped = true;
            t.awaitingParentReport = true;
            t.stateLabel = "new thread";
            addTask(t);
            if (exitStop) {
                t.toExiting();
                t.stateLabel = "exiting";
                maybeResume(t); // on to its death, which is reaped as any thread's
            }
        } else if (exitStop) {
            detachQuietly(tid, 0);
        } else if (st.tgid() != tid || processes.get(st.ppid()) == null) {
            // A thread of a process we let go (or lost), or a fork child whose parent we no longer
            // trace, so no FORK event will come to decide for it: never left in a ptrace stop.
            detachQuietly(tid, 0);
        } else {
            TracedProcess parent = processes.get(st.ppid());
            if (parent != null && parent.followForks) {
                TracedProcess np = new TracedProcess(tid, false, false);
                np.followForks = true;
                np.breakpoints = parent.breakpoints.copyFor(tid, false); // shared or not: told by the parent's event
                np.watchpoints.copyFrom(parent.watchpoints);
                np.softWatches.copyFrom(parent.softWatches);
                processes.put(tid, np);
                Task t = new Task(tid, np);
                t.stopped = true;
                t.awaitingParentReport = true;
                addTask(t);
            } else {
                // A fork child of a process that does not follow forks: held until the parent's
                // event says fork or vfork (a vfork child shares the parent's memory and int3s).
                earlyForkChildren.put(tid, st.ppid());
            }
        }
    }

    private void addTask(Task t) {
        tasks.put(t.tid, t);
        t.process.tasks.put(t.tid, t);
    }

    // ------------------------------------------------------------------ stops

    private void syscallStop(Task t) {
        SyscallInfo info = Ptrace.getSyscallInfo(t.tid);
        if (info.isEntry()) {
            t.syscallNr = info.nr();
        } else if (t.syscallNr == -1) {
            // An exit whose entry nobody saw (syscall stops were off then, or the task was just
            // attached or exec'ed): the kernel keeps the number in orig_rax.
            t.syscallNr = regs(t).syscallNr();
        }
        if (!t.wantsSyscalls()) {
            softWatchSyscallStop(t, info);
            return;
        }
        SyscallReport report = new SyscallReport(info, t.syscallNr);
        if (info.isEntry()) {
            t.stateLabel = "syscall entry";
            beginPass(t, Event.SYSCALL_ENTRY);
            eventRound(t, Event.SYSCALL_ENTRY, true, e -> e.ops.syscallEntry(e, t, report));
            if (report.aborted()) {
                Regs r = regs(t);
                r.set(Regs.ORIG_RAX, -1L); // the kernel skips a syscall whose number is -1
                Ptrace.setRegs(t.tid, r);
                t.abortPending = true;
                t.abortValue = report.abortValue();
            }
        } else {
            t.stateLabel = "syscall exit";
            if (t.abortPending) {
                t.abortPending = false;
                report.setReturnValue(t.abortValue);
            }
            List<SoftwareWatchTable.Watch> hits = softWatchHits(t);
            beginPass(t, Event.SYSCALL_EXIT);
            // A write the kernel made for this syscall (read(2) into watched bytes): the
            // syscall instruction, two bytes before the pc, made it.
            softWatchRound(t, hits, hits.isEmpty() ? -1 : regs(t).pc() - 2);
            eventRound(t, Event.SYSCALL_EXIT, false, e -> e.ops.syscallExit(e, t, report));
            if (report.changedReturn() != null) {
                Regs r = regs(t);
                r.setReturnValue(report.changedReturn());
                Ptrace.setRegs(t.tid, r);
            }
            t.syscallNr = -1;
        }
        endPass(t);
    }

    private void signalStop(Task t, int sig, boolean wasStepping) {
        if (sig == Signal.SIGTRAP) {
            // Breakpoint hits, watchpoint traps and steps need only si_code: the whole siginfo is
            // read when a signal is reported.
            int code = Ptrace.getSigCode(t.tid);
            if (code == SigInfo.SI_KERNEL && ourInt3(t)) {
                return;
            }
            if ((code == SigInfo.TRAP_HWBKPT || code == SigInfo.TRAP_TRACE) && t.debugRegisters.mayHaveTrapped()) {
                long dr6 = DebugRegisters.read(t.tid, DebugRegisters.DR_STATUS);
                if ((dr6 & DebugRegisters.DR6_SLOTS) != 0) {
                    // TRAP_TRACE: a single-step trap in the same debug exception (the stepped
                    // instruction completed); TRAP_HWBKPT alone: the step (if any) did not run yet.
                    boolean stepped = wasStepping && code == SigInfo.TRAP_TRACE;
                    hardwareTrap(t, dr6, wasStepping, stepped, stepped && !t.stepWasBlock ? t.pcBeforeStep : -1);
                    return;
                }
            }
            if (wasStepping && code > 0 && code != SigInfo.SI_KERNEL) {
                // The trap of our own step: consumed here, reported as STEP to the engines that asked.
                stepDone(t);
                return;
            }
            if (t.stepTrapMayBeQueued && code > 0 && code != SigInfo.SI_KERNEL) {
                // The trap of a step that waited queued behind another stop (see
                // Task.stepTrapMayBeQueued), dequeued by a resume that was not a step: ours, and
                // reported at that stop already (the engines asked again or moved on).
                t.stepTrapMayBeQueued = false;
                requestedStop(t);
                return;
            }
        }
        SigInfo info = Ptrace.getSigInfo(t.tid);
        boolean ourTgkill = info.code() == SigInfo.SI_TKILL && info.pid() == myPid;
        if (ourTgkill && t.injectedSignal == sig) {
            // The signal an engine injected at an INTERRUPT report: it was reported there already.
            // It goes with the engine's siginfo, else as the kernel fills one for a signal a
            // debugger resumes with (SI_USER from the tracer), not with our tgkill's SI_TKILL.
            SigInfo given = t.injectedInfo;
            t.injectedInfo = null;
            SigInfo deliverWith = given != null && given.signo() == sig ? given : SigInfo.of(sig, SigInfo.SI_USER);
            if (given == null || given.signo() != sig) {
                deliverWith.setPid(myPid);
                deliverWith.setUid(myUid);
            }
            Ptrace.setSigInfo(t.tid, deliverWith);
            t.injectedSignal = 0;
            t.pendingSignal = sig;
            t.stateLabel = "signal " + Signal.name(sig);
            if (wasStepping) {
                // The step asked with the injection has not run an instruction yet (the signal is
                // dequeued first): it goes with the delivery, so it stops at the handler's first
                // instruction as a step with a signal delivered at a delivery stop does.
                for (Engine e : t.steppers) {
                    if (e.stepRequest == null) {
                        e.stepRequest = ResumeAction.SINGLESTEP;
                    }
                }
            }
            maybeResume(t);
            return;
        }
        if (ourTgkill && t.requeuedInfo != null) {
            java.util.ArrayDeque<SigInfo> queued = t.requeuedInfo.get(sig);
            SigInfo original = queued == null ? null : queued.poll();
            if (original != null) {
                // A signal held earlier and queued again: the program gets it as it was first sent.
                info = original;
                Ptrace.setSigInfo(t.tid, info);
            }
        }
        t.stateLabel = "signal " + Signal.name(sig);
        SignalAction initial = disposition(t, sig);
        SignalReport report = new SignalReport(sig, info, initial);
        Event ev = classify(t, sig, initial);
        beginPass(t, ev);
        signalRound(t, ev, report);
        applySignal(t, report, true);
        endPass(t);
    }

    private void stepDone(Task t) {
        t.stepTrapMayBeQueued = false; // a queued trap is dequeued before any later one
        if (t.recheckTrapMask) {
            recheckTrapMask(t); // at a handler's first instruction (the step trap of a delivery)
        }
        List<SoftwareWatchTable.Watch> hits = softWatchHits(t);
        boolean programsTrap = t.userTrapFlag;
        t.userTrapFlag = false;
        if (hits.isEmpty() && t.steppers.length == 0 && !programsTrap) {
            // The service's own step for its software watches, and nothing changed: no engine
            // sees it. A STOP, REPORT or INTERRUPT asked meanwhile is served here (its interrupt
            // was consumed by this trap), else the task steps on.
            requestedStop(t);
            return;
        }
        t.stateLabel = hits.isEmpty() ? "step" : hits.get(0).watchpoint.toString();
        beginPass(t, hits.isEmpty() ? Event.STEP : Event.WATCHPOINT);
        softWatchRound(t, hits, t.pcBeforeStep);
        stepRound(t);
        if (programsTrap) {
            programsOwnStepTrap(t);
        }
        endPass(t);
    }

    /** Reports a completed step to the engines that asked for it, and a breakpoint it landed on. */
    private void stepRound(Task t) {
        Engine[] steppers = t.steppers;
        t.steppers = Task.NO_ENGINES;
        for (Engine e : steppers) {
            if (e.task == t && !e.detached && e.wants(Event.STEP)) {
                ResumeAction a = invoke(e, Event.STEP, x -> x.ops.step(x, t));
                vote(t, e, a, false);
            }
        }
        // A step that lands on a breakpoint reports the breakpoint too: its owners see the hit
        // now, and the next resume executes the original instruction (nothing is skipped).
        BreakpointTable.Site site = t.process.breakpoints.isEmpty() ? null : t.process.breakpoints.at(regs(t).pc());
        if (site != null) {
            breakpointRound(t, site);
        }
    }

    /**
     * A step interrupted by a stop inside the instruction it executes: the engines that asked
     * for it keep their request, so the task resumes stepping and the step trap comes when the
     * instruction completes. An engine called at this stop may still change its mind.
     */
    private void keepStepPending(Task t) {
        for (Engine e : t.steppers) {
            if (!e.detached && e.stepRequest == null) {
                e.stepRequest = t.stepWasBlock ? ResumeAction.BLOCKSTEP : ResumeAction.SINGLESTEP;
            }
        }
    }

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
    private void hardwareTrap(Task t, long dr6, boolean wasStepping, boolean stepCompleted, long steppedFrom) {
        DebugRegisters.write(t.tid, DebugRegisters.DR_STATUS, 0);
        WatchpointTable table = t.process.watchpoints;
        long pc = regs(t).pc();
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
                Regs r = regs(t);
                long flags = r.get(Regs.EFLAGS);
                if ((flags & EFLAGS_RF) == 0) {
                    r.set(Regs.EFLAGS, flags | EFLAGS_RF);
                    Ptrace.setRegs(t.tid, r);
                }
                break;
            }
        }
        boolean ownStepTrap = !wasStepping && (dr6 & DebugRegisters.DR6_BS) != 0;
        if (wasStepping && !stepCompleted) {
            keepStepPending(t);
        }
        t.stateLabel = hits.isEmpty() ? "stale watchpoint trap" : hits.get(0).watchpoint.toString();
        beginPass(t, Event.WATCHPOINT);
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
                    vote(t, e, invoke(e, Event.WATCHPOINT, x -> x.ops.watchpoint(x, t, wp, wp.address())), false);
                }
            }
        }
        if (stepCompleted) {
            softWatchRound(t, softWatchHits(t), steppedFrom);
        }
        if (wasStepping && stepCompleted) {
            stepRound(t);
        }
        if (ownStepTrap) {
            // The program set the trap flag itself: its SIGTRAP came in the same exception and
            // is a real signal, reported as one in this stop after the watchpoint.
            programsOwnStepTrap(t);
        }
        endPass(t);
    }

    /** Inside a pass: the SIGTRAP of the trap flag the program set itself, reported and delivered as a signal. */
    private void programsOwnStepTrap(Task t) {
        t.stateLabel = "signal " + Signal.name(Signal.SIGTRAP);
        SignalAction initial = disposition(t, Signal.SIGTRAP);
        SignalReport report = new SignalReport(Signal.SIGTRAP, Ptrace.getSigInfo(t.tid), initial);
        signalRound(t, classify(t, Signal.SIGTRAP, initial), report);
        applySignal(t, report, true);
    }

    /**
     * Makes every thread's debug registers match the process's {@link WatchpointTable}.
     * <p>
     * Rule: debug registers are written only by the tracer thread and only while the thread is
     * ptrace-stopped (the kernel refuses PTRACE_POKEUSER otherwise). Running threads are
     * stopped for the write and resumed after it, so that when an insert or remove returns no
     * thread runs with the old set.
     */
    private void applyWatchpoints(TracedProcess p) {
        pause(p);
        RuntimeException failure = null;
        for (Task x : new ArrayList<>(p.tasks.values())) {
            if (x.stopped && !x.dead()) {
                try {
                    syncDebugRegisters(x);
                } catch (NoSuchTaskException gone) {
                    // Killed meanwhile: its death follows.
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        unpause(p);
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes the process's watchpoints into one stopped thread (see the rule at {@link #applyWatchpoints}). */
    private void syncDebugRegisters(Task t) {
        t.debugRegisters.sync(t.tid, t.process.watchpoints, t.hasDeferredStop);
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
            p.softWatches.insert(owner, wp, p.pid, p.breakpoints);
            return wp;
        }
        // The first write watch: from now on every thread single-steps. The running ones are
        // stopped so that the watched bytes are read while no thread runs, and each resumes
        // stepping; a write after this returns is seen.
        pause(p);
        try {
            p.softWatches.insert(owner, wp, p.pid, p.breakpoints);
        } finally {
            unpause(p);
        }
        return wp;
    }

    private void insertHardwareWatchpoint(TracedProcess p, EngineOps owner, Watchpoint wp) {
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

    /** The software write watches whose bytes changed since the last look (none unless the process has some). */
    private List<SoftwareWatchTable.Watch> softWatchHits(Task t) {
        return t.process.softWatches.stepping() ? t.process.softWatches.changed(t.process.pid) : List.of();
    }

    /**
     * Reports software watch hits to their owners' engines on {@code t}, inside the current pass.
     *
     * @param accessPc the instruction that made the change (the one stepped, or the syscall
     *                 instruction for a write by the kernel); -1 when not known
     */
    private void softWatchRound(Task t, List<SoftwareWatchTable.Watch> hits, long accessPc) {
        for (SoftwareWatchTable.Watch w : hits) {
            Watchpoint wp = w.watchpoint;
            t.watchInstruction = accessPc;
            for (Engine e : t.engines) {
                if (!e.detached && e.wants(Event.WATCHPOINT) && w.ownedBy(e.ops)) {
                    vote(t, e, invoke(e, Event.WATCHPOINT, x -> x.ops.watchpoint(x, t, wp, wp.address())), false);
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
    private void softWatchSyscallStop(Task t, SyscallInfo info) {
        if (info.isEntry()) {
            t.stateLabel = "syscall entry";
            requestedStop(t);
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
            requestedStop(t);
            return;
        }
        t.stateLabel = hits.get(0).watchpoint.toString();
        beginPass(t, Event.WATCHPOINT);
        softWatchRound(t, hits, regs(t).pc() - 2);
        endPass(t);
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
     */
    private boolean softWatchStep(Task t) {
        if (t.trapBlocked || t.syscallNr != -1) {
            return false;
        }
        byte[] insn = t.insnScratch;
        return dev.multitrace.linux.Memory.readVm(t.process.pid, regs(t).pc(), insn, 0, 2) != 2
                || insn[0] != 0x0f || insn[1] != 0x05;
    }

    private void recheckTrapMask(Task t) {
        t.recheckTrapMask = false;
        try {
            t.trapBlocked = (ProcFs.status(t.tid).sigBlk() & (1L << (Signal.SIGTRAP - 1))) != 0;
        } catch (RuntimeException gone) {
            // The thread is gone: its death follows.
        }
    }

    /**
     * A SIGTRAP from an int3 (SI_KERNEL) just after one of our sites: a breakpoint hit. The pc is
     * rewound onto the site and the owners with an engine on this thread are told; the tracee never
     * sees this SIGTRAP. A site removed since the trap (the byte is no longer int3) is ours too.
     *
     * @return false if the int3 is the program's own: then it is a real SIGTRAP
     */
    private boolean ourInt3(Task t) {
        Regs r = regs(t);
        long address = r.pc() - 1;
        BreakpointTable table = t.process.breakpoints;
        BreakpointTable.Site site = table.at(address);
        if (site == null) {
            byte[] b = new byte[1];
            boolean removedSince = table.wasPlanted(address)
                    && dev.multitrace.linux.Memory.readProcMem(t.process.pid, address, b, 0, 1) == 1
                    && b[0] != BreakpointTable.INT3;
            if (!removedSince) {
                return false;
            }
        }
        r.setPc(address);
        Ptrace.setRegs(t.tid, r);
        t.stateLabel = "breakpoint 0x" + Long.toHexString(address);
        if (site == null) {
            maybeResume(t);
            return true;
        }
        beginPass(t, Event.BREAKPOINT);
        breakpointRound(t, site);
        endPass(t);
        return true;
    }

    private void breakpointRound(Task t, BreakpointTable.Site site) {
        t.atReportedSite = true;
        long address = site.address;
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(Event.BREAKPOINT) && site.ownedBy(e.ops)) {
                vote(t, e, invoke(e, Event.BREAKPOINT, x -> x.ops.breakpoint(x, t, address)), false);
            }
        }
        if (site.ownedBy(SoftwareWatchTable.EXECUTE_OWNER)) {
            // Software execute watches: the same report as a debug register's, before the instruction runs.
            softWatchRound(t, t.process.softWatches.executeAt(address), address);
        }
    }

    /** The exit event stop: reported while the task can still be examined; its death follows. */
    private void exitEvent(Task t) {
        int code = (int) Ptrace.getEventMsg(t.tid);
        t.toExiting(); // from here on it runs no user code: a pause lets it go on to its death
        t.groupStopped = false; // nor is it in a group stop: it is resumed with CONT, never LISTEN
        t.stateLabel = "exiting";
        beginPass(t, Event.EXIT);
        eventRound(t, Event.EXIT, false, e -> e.ops.exit(e, t, code));
        if ((code & 0x7f) == Signal.SIGKILL) {
            // SIGKILL breaks every STOP: the task dies whatever we do, and an engine that
            // held it but did not ask for EXIT would otherwise keep it here for ever.
            for (Engine e : t.engines) {
                e.holdsStop = false;
            }
        }
        endPass(t);
        if (!t.stopped) {
            t.toExiting();
        }
    }

    /** The end of a vfork (the child exec'd or exited; the parent runs again): reported as VFORK_DONE. */
    private void vforkDoneEvent(Task t) {
        int child = (int) eventMessage(t, EVENT_VFORK_DONE);
        t.stateLabel = "vfork done";
        beginPass(t, Event.VFORK_DONE);
        eventRound(t, Event.VFORK_DONE, false, e -> e.ops.vforkDone(e, t, child));
        endPass(t);
    }

    private void groupStop(Task t, int sig) {
        t.interruptOutstanding = false;
        t.awaitingInitialStop = false;
        if (!t.groupStopped) {
            t.groupStopped = true;
            t.stateLabel = "job control stop (" + Signal.name(sig) + ")";
            beginPass(t, Event.JCTL);
            eventRound(t, Event.JCTL, false, e -> e.ops.jctl(e, t, true, sig));
            endPass(t);
        } else {
            // Re-trapped from PTRACE_LISTEN by our own INTERRUPT: someone wants the task quiescent.
            requestedStop(t);
        }
    }

    private void interruptStop(Task t, boolean wasStepping) {
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
        if (t.awaitingInitialStop) {
            t.awaitingInitialStop = false;
            t.stateLabel = "new thread";
        }
        if (t.groupStopped) {
            // A LISTENing tracee woken by SIGCONT traps with SIGTRAP: the group stop is over.
            t.groupStopped = false;
            t.stateLabel = "continued";
            beginPass(t, Event.JCTL);
            eventRound(t, Event.JCTL, false, e -> e.ops.jctl(e, t, false, Signal.SIGCONT));
            endPass(t);
            return;
        }
        requestedStop(t);
    }

    /** A stop that exists because engines asked for it (STOP, REPORT, INTERRUPT), or a stale interrupt. */
    private void requestedStop(Task t) {
        switch (Arbiter.requested(t)) {
            case INTERRUPT_REPORT -> interruptReport(t);
            case QUIESCE_REPORT -> {
                t.stateLabel = "stopped";
                beginPass(t, Event.QUIESCE);
                endPass(t);
            }
            case NONE -> maybeResume(t);
        }
    }

    /** The signal-report stop of INTERRUPT: every signal engine may inject any signal. */
    private void interruptReport(Task t) {
        t.stateLabel = "interrupted";
        SignalReport report = new SignalReport(0, null, SignalAction.REPORT);
        beginPass(t, Event.SIGNAL);
        for (Engine e : t.engines) {
            e.interruptPending = false;
        }
        signalRound(t, Event.SIGNAL, report);
        applySignal(t, report, false);
        endPass(t);
    }

    private void cloneEvent(Task parent, int event) {
        int childTid = (int) eventMessage(parent, event);
        CloneKind kind = event == EVENT_CLONE ? cloneKind(parent, childTid) : event == EVENT_FORK ? CloneKind.FORK : CloneKind.VFORK;
        Task child = tasks.get(childTid);
        if (kind != CloneKind.THREAD && (!parent.process.followForks || parent.process.detached)) {
            Runnable letGo = letGoOfForkChild(parent.process, childTid, kind);
            if (child != null) {
                forget(child);
                letGo.run();
            } else if (earlyForkChildren.remove(childTid) != null) {
                letGo.run();
            } else {
                forkChildrenToDetach.put(childTid, letGo);
            }
            maybeResume(parent);
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
                processes.put(childTid, p);
            }
            child = new Task(childTid, p);
            child.awaitingInitialStop = true;
            child.stateLabel = "new thread";
            addTask(child);
        } else if (kind != CloneKind.THREAD && kind != CloneKind.FORK) {
            child.process.breakpoints.markShared(); // its first stop came first, with a copy's table
        }
        child.awaitingParentReport = false;
        Task c = child;
        parent.stateLabel = "clone";
        beginPass(parent, Event.CLONE);
        eventRound(parent, Event.CLONE, false, e -> e.ops.clone(e, parent, c, kind));
        endPass(parent);
        if (c.stopped) {
            // Its initial stop came first; engines attached to it in the callback may hold it.
            requestedStop(c);
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
    private CloneKind cloneKind(Task parent, int childTid) {
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
            Regs r = regs(parent);
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
    private Runnable letGoOfForkChild(TracedProcess parent, int childTid, CloneKind kind) {
        // The sites as they are at the fork: the child's first stop can come after the parent
        // let them go (a detach, an exec, its death), and the child's copy still has the int3s.
        BreakpointTable inChild = kind == CloneKind.FORK && !parent.breakpoints.isEmpty()
                ? parent.breakpoints.copyFor(childTid, false) : null;
        return () -> {
            if (inChild != null) {
                try {
                    inChild.restoreAll();
                } catch (RuntimeException gone) {
                    // The child died already: nothing to restore.
                }
            }
            detachQuietly(childTid, 0);
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
    private static long eventMessage(Task t, int event) {
        long message = Ptrace.getEventMsg(t.tid);
        if (Ptrace.getSigInfo(t.tid).code() != (Signal.SIGTRAP | (event << 8))) {
            throw new NoSuchTaskException("PTRACE_GETEVENTMSG (the event stop was left)", t.tid);
        }
        return message;
    }

    private void execEvent(Task t) {
        int former = (int) eventMessage(t, EVENT_EXEC);
        Task execer = tasks.get(former);
        if (former != t.tid && execer != null && execer != t && execer.process == t.process) {
            // A non-leader thread exec'd. The kernel reports the exec under the leader's tid,
            // which the exec'ing thread has taken (de_thread), so the status came to the old
            // leader's Task: the stop is the exec'ing thread's, and it goes on as that Task with
            // its engines; the old leader (released by the kernel, no status of its own will
            // come) dies here, DEATH and REAP to its engines, its statuses not handled yet dropped.
            Task oldLeader = t;
            execer.stopped = true;
            execer.hasDeferredStop = false;
            execer.regs = null;
            execer.interruptOutstanding = false;
            execer.stepping = false;
            execer.awaitingParentReport = false;
            dropPending(oldLeader);
            oldLeader.stopped = false;
            died(oldLeader, 0); // raw 0: never taken for the process's exit status
            t = execer;
        }
        if (t.tid != t.process.pid) {
            // The exec'ing thread takes the leader's tid; any other Task under it is gone.
            Task leader = tasks.get(t.process.pid);
            if (leader != null && leader != t) {
                died(leader, 0);
            }
            tasks.remove(t.tid, t);
            t.process.tasks.remove(t.tid, t);
            Task moved = t;
            moved.tid = t.process.pid;
            addTask(moved);
        }
        t.execed(); // the thread that exec'd lives on, whatever its tid reported before
        t.process.breakpoints.forgetAll(); // the old image, and our int3s in it, are gone
        // The kernel clears the debug registers at exec (flush_thread): the slots are free again.
        t.process.watchpoints.forgetAll();
        t.process.softWatches.forgetAll();
        t.debugRegisters.clearedByKernel();
        t.stateLabel = "exec";
        Task x = t;
        beginPass(x, Event.EXEC);
        eventRound(x, Event.EXEC, false, e -> e.ops.exec(e, x, former));
        endPass(x);
    }

    private void died(Task t, int raw) {
        ExitStatus st = ExitStatus.of(raw);
        t.toDead();
        t.stopped = false;
        t.toExiting();
        t.generation++;
        t.stateLabel = st.toString();
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(Event.DEATH)) {
                ResumeAction a = invoke(e, Event.DEATH, x -> x.ops.death(x, t, st));
                if (a == ResumeAction.DETACH) {
                    e.detached = true;
                }
            }
        }
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(Event.REAP)) {
                invoke(e, Event.REAP, x -> {
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
        forget(t);
        if (t.tid == p.pid && raw != 0) {
            p.exit.complete(st);
        }
        if (p.tasks.isEmpty()) {
            if (alive(p.pid) && tracedByUs(p.pid)) {
                errorHandler.accept(new TracingException("process " + p.pid + " taken for gone when its last known thread "
                        + t.tid + " ended (" + st + "), yet it lives on, traced by us"));
            }
            letGoOfEarlyForkChildren(p); // their parent's FORK event will never come now
            p.breakpoints.closeMemory();
            processes.remove(p.pid);
            p.detached = true;
            p.exit.complete(st);
        }
    }

    private void forget(Task t) {
        if (tasks.get(t.tid) == t) {
            tasks.remove(t.tid);
        }
        t.process.tasks.remove(t.tid, t);
    }

    // ------------------------------------------------------------------ reporting passes

    @FunctionalInterface
    interface Callback {
        ResumeAction call(Engine e);
    }

    /** Starts a pass: engines that asked for QUIESCE (or have a STOP/REPORT pending) are told first. */
    private void beginPass(Task t, Event ev) {
        t.inPass = true;
        for (Engine e : t.engines) {
            if (Arbiter.quiesceFirst(e)) {
                ResumeAction a = invoke(e, Event.QUIESCE, x -> x.ops.quiesce(x, t, ev));
                vote(t, e, a, false);
            }
        }
    }

    private void endPass(Task t) {
        t.inPass = false;
        maybeResume(t);
    }

    private void eventRound(Task t, Event ev, boolean newestFirst, Callback cb) {
        Engine[] snap = t.engines;
        for (int i = 0; i < snap.length; i++) {
            Engine e = snap[newestFirst ? snap.length - 1 - i : i];
            if (!e.detached && e.wants(ev)) {
                vote(t, e, invoke(e, ev, cb), false);
            }
        }
    }

    private void signalRound(Task t, Event ev, SignalReport report) {
        for (Engine e : t.engines) {
            if (!e.detached && e.wants(ev)) {
                vote(t, e, invoke(e, ev, x -> x.ops.signal(x, t, report)), true);
            }
        }
    }

    /**
     * Calls one engine. {@code inCallback} is set before the volatile mask and detach flag are
     * read again (see {@link Engine}): a detach or setEvents racing with us either stops this
     * call or sees it and answers IN_PROGRESS.
     */
    private ResumeAction invoke(Engine e, Event ev, Callback cb) {
        e.inCallback = true;
        try {
            if (!Arbiter.mayCall(e, ev)) {
                return null;
            }
            e.callbackCount++; // tracer thread is the only writer
            ResumeAction a = cb.call(e);
            a = a == null ? ResumeAction.RESUME : a;
            e.lastAction = a;
            return a;
        } catch (Throwable x) {
            errorHandler.accept(new TracingException("callback " + ev + " of " + e + " threw " + x, x));
            return ResumeAction.RESUME;
        } finally {
            e.callbackDone();
        }
    }

    /** Records what an engine returned ({@link Arbiter#vote}); its DETACH lets go of it here. */
    private void vote(Task t, Engine e, ResumeAction a, boolean inSignalReport) {
        if (Arbiter.vote(e, a, inSignalReport)) {
            engineDetached(e);
        }
    }

    // ------------------------------------------------------------------ signals

    /** The task's own disposition of {@code sig}, from /proc (signals are rare: no cache needed). */
    private SignalAction disposition(Task t, int sig) {
        long bit = 1L << (sig - 1);
        ProcStatus st = ProcFs.status(t.tid);
        if ((st.sigCgt() & bit) != 0) {
            return SignalAction.DELIVER;
        }
        if ((st.sigIgn() & bit) != 0) {
            return SignalAction.IGN;
        }
        return switch (Signal.defaultAction(sig)) {
            case TERM -> SignalAction.TERM;
            case CORE -> SignalAction.CORE;
            case IGN -> SignalAction.IGN;
            case CONT -> SignalAction.DELIVER;
            case STOP -> sig == Signal.SIGSTOP ? SignalAction.STOP : SignalAction.TSTP;
        };
    }

    private static Event classify(Task t, int sig, SignalAction a) {
        return switch (a) {
            case DELIVER -> sig == Signal.SIGCONT ? Event.SIGNAL_IGN : Event.SIGNAL;
            case IGN -> Event.SIGNAL_IGN;
            case TERM -> Event.SIGNAL_TERM;
            case CORE -> Event.SIGNAL_CORE;
            case STOP, TSTP -> Event.SIGNAL_STOP;
            default -> Event.SIGNAL;
        };
    }

    /** Turns the last word of a signal report into what the task gets when it resumes. */
    private void applySignal(Task t, SignalReport r, boolean atDeliveryStop) {
        int sig = r.signal();
        int deliver;
        switch (r.action()) {
            case IGN -> deliver = 0;
            case REPORT -> deliver = 0;
            case STOP -> deliver = Signal.SIGSTOP;
            case TSTP -> deliver = Signal.SIGTSTP;
            case TERM, CORE -> {
                SignalDefault d = sig == 0 ? null : Signal.defaultAction(sig);
                boolean matches = d == (r.action() == SignalAction.TERM ? SignalDefault.TERM : SignalDefault.CORE)
                        && disposition(t, sig) != SignalAction.DELIVER;
                deliver = matches ? sig : Signal.SIGKILL;
            }
            default -> deliver = sig;
        }
        if (r.hold() && sig != 0) {
            // Held: suppressed now, queued again so it is dequeued (and reported) after the resume.
            t.pendingSignal = 0;
            if (r.info() != null && r.info().signo() == sig) {
                if (t.requeuedInfo == null) {
                    t.requeuedInfo = new java.util.HashMap<>();
                }
                java.util.ArrayDeque<SigInfo> queued = t.requeuedInfo.computeIfAbsent(sig, k -> new java.util.ArrayDeque<>());
                if (sig < 32) {
                    queued.clear(); // a standard signal is pending once: the latest is the one
                }
                queued.add(r.info());
            }
            LibC.tgkill(t.process.pid, t.tid, sig);
            return;
        }
        if (atDeliveryStop) {
            if (deliver != 0 && r.info() != null && deliver == sig && r.info().signo() == sig) {
                Ptrace.setSigInfo(t.tid, r.info());
            }
            t.pendingSignal = deliver;
        } else if (deliver != 0) {
            // Not a signal-delivery-stop: a restart signal would be ignored by the kernel; queue it.
            t.injectedSignal = deliver;
            t.injectedInfo = r.info();
        }
    }

    // ------------------------------------------------------------------ resuming

    /** Resumes the task if it is stopped, outside a pass, and no engine holds it. */
    void maybeResume(Task t) {
        try {
            resumeIfFree(t);
        } catch (NoSuchTaskException gone) {
            // Killed while we read its registers or memory (SIGKILL needs no permission from
            // us): its death follows. No caller of a resume may see this as its own failure.
            t.toExiting();
        }
    }

    /** Asks the arbiter whether the task may run and how, then applies its plan with ptrace. */
    private void resumeIfFree(Task t) {
        Arbiter.Plan plan = Arbiter.decide(t, t.process.pauses > 0);
        if (plan instanceof Arbiter.Stay stay) {
            if (stay.heldBy() != null) {
                t.stateLabel = "held by " + stay.heldBy();
            }
            return;
        }
        Arbiter.Go go = (Arbiter.Go) plan;
        Arbiter.consume(go);
        boolean wantStop = go.wantStop();
        Engine[] steppers = go.steppers();
        int steps = steppers.length;
        boolean allBlock = go.allBlock();
        t.steppers = steppers;
        int sig = t.pendingSignal;
        t.pendingSignal = 0;
        BreakpointTable.Site site = null;
        if (t.atReportedSite) {
            t.atReportedSite = false;
            // An exiting thread runs no more instructions: nothing to step over.
            site = t.exiting() ? null : t.process.breakpoints.at(regs(t).pc()); // ESRCH: see maybeResume
        }
        boolean watching = !t.process.watchpoints.isEmpty();
        if (watching || t.debugRegisters.anyEnabled()) {
            try {
                syncDebugRegisters(t);
            } catch (NoSuchTaskException gone) {
                t.toExiting();
                return;
            } catch (RuntimeException e) {
                errorHandler.accept(e);
            }
        }
        // Software write watches: every thread runs one instruction at a time (WatchMethod.SOFTWARE).
        boolean softStepping = t.process.softWatches.stepping();
        boolean softRun = softStepping && steps == 0 && site == null && !t.groupStopped;
        boolean softStep = softRun && softWatchStep(t);
        t.softWatchSyscalls = softRun && !softStep;
        if (softStepping && (sig != 0 || t.injectedSignal != 0)) {
            t.recheckTrapMask = true; // a handler may run with SIGTRAP blocked (see softWatchStep)
        }
        // A data watchpoint hit by a single-step names the stepped instruction as the writer.
        t.pcBeforeStep = (steps > 0 && watching) || softStepping ? regs(t).pc() : -1;
        // The kernel shows the trap flag only where the program set it (not where a step of ours
        // did): then the trap after this instruction is the program's too, and it gets it.
        // A step that delivers a signal stops at the handler's first instruction (the kernel
        // clears the trap flag for the handler): that stop is not the program's trap.
        t.userTrapFlag = softStep && sig == 0 && (regs(t).get(Regs.EFLAGS) & EFLAGS_TF) != 0;
        allBlock &= !softStepping; // a block step would run past the instruction that writes
        t.stepWasBlock = steps > 0 && allBlock && blockStepWorks && site == null;
        t.watchInstruction = -1;
        t.debugRegisters.resumed();
        t.generation++;
        t.regs = null;
        t.stopped = false;
        t.stateLabel = "running";
        try {
            if (t.injectedSignal != 0) {
                LibC.tgkill(t.process.pid, t.tid, t.injectedSignal);
            }
            if (site != null) {
                stepOver(t, site, sig, steps > 0, wantStop);
                return;
            }
            resume(t, sig, softStep ? 1 : steps, allBlock, wantStop);
        } catch (NoSuchTaskException gone) {
            t.toExiting();
        } catch (LinuxException refused) {
            // Still where it was: counted as stopped, so that nothing waits for a stop that will not come.
            t.stopped = true;
            throw refused;
        }
    }

    private void resume(Task t, int sig, int steps, boolean allBlock, boolean wantStop) {
        Arbiter.Request request = Arbiter.request(steps, allBlock && blockStepWorks, t.groupStopped,
                t.wantsSyscalls() || t.softWatchSyscalls);
        switch (request) {
            case SINGLEBLOCK -> {
                t.stepping = true;
                try {
                    Ptrace.singleBlock(t.tid, sig);
                } catch (NoSuchTaskException gone) {
                    throw gone;
                } catch (LinuxException e) {
                    // No branch trap on this CPU or hypervisor (EIO): single-step instead.
                    blockStepWorks = false;
                    Ptrace.singleStep(t.tid, sig);
                }
            }
            case SINGLESTEP -> {
                t.stepping = true;
                Ptrace.singleStep(t.tid, sig);
            }
            case LISTEN -> {
                t.stateLabel = "job control stop";
                Ptrace.listen(t.tid);
            }
            case SYSCALL -> Ptrace.syscall(t.tid, sig);
            case CONT -> Ptrace.cont(t.tid, sig);
        }
        if (request != Arbiter.Request.SYSCALL) {
            // No syscall-exit-stop follows a resume other than PTRACE_SYSCALL: a number kept
            // from an entry would be stale at the next exit stop.
            t.syscallNr = -1;
        }
        if (wantStop) {
            requestStop(t);
        }
    }

    /**
     * Executes the original instruction under a breakpoint the task has stopped on: lift the
     * int3, single-step, plant it again. The other threads of the process are stopped meanwhile
     * so that none of them can run through the missing breakpoint. (Stopping them was chosen over
     * executing the displaced instruction out of line: it needs no instruction decoder or
     * rip-relative fix-ups, and costs nothing for single-threaded programs.)
     * <p>
     * It continues from the event loop (rule "never blocks on one task"): this pauses the process
     * and returns; {@link #advanceStepOver} lifts the int3 and steps once every other thread is
     * stopped, and the task's next status ends it ({@link #endStepOver}, then {@link #handle}).
     */
    private void stepOver(Task t, BreakpointTable.Site site, int sig, boolean engineStep, boolean wantStop) {
        TracedProcess p = t.process;
        p.stepOver = new StepOver(t, site, sig, engineStep, wantStop);
        p.pauses++;
        for (Task x : new ArrayList<>(p.tasks.values())) {
            if (x != t && !settledForStepOver(x)) {
                requestStop(x);
            }
        }
        advanceStepOver(p);
    }

    /** A thread still awaiting its initial stop is left alone: the kernel holds it there before it runs any code. */
    private static boolean settledForStepOver(Task x) {
        return settled(x) || x.awaitingInitialStop;
    }

    /** Lifts the int3 and steps the task once every other thread of the process is stopped. */
    private void advanceStepOver(TracedProcess p) {
        StepOver so = p.stepOver;
        if (so == null || so.lifted) {
            return;
        }
        for (Task x : p.tasks.values()) {
            if (x != so.task && !settledForStepOver(x)) {
                return;
            }
        }
        so.lifted = true;
        try {
            p.breakpoints.lift(so.site);
            Ptrace.singleStep(so.task.tid, so.signal);
        } catch (NoSuchTaskException gone) {
            // Killed (SIGKILL needs no permission from us): its status ends the step-over.
        } catch (RuntimeException e) {
            // The memory cannot be written: the process is being torn down, and its task's status ends this.
            errorHandler.accept(e);
        }
    }

    /**
     * The task of a step-over has a status: the step is over, whatever the status says (the
     * step trap, or what came first). The int3 goes back, the pause ends; the status itself is
     * handled like any other, by {@link #handle}, which sees {@link Task#steppedOver}.
     */
    private void endStepOver(StepOver so, boolean stop) {
        Task t = so.task;
        TracedProcess p = t.process;
        p.stepOver = null;
        BreakpointTable table = p.breakpoints;
        if (so.lifted && table.at(so.site.address) == so.site) {
            try {
                table.replant(so.site);
            } catch (RuntimeException gone) {
                // The image is gone (an exec, the process's death): nothing to plant in.
            }
        }
        t.steppedOver = so;
        t.stepping = so.lifted; // our single-step: its trap is never the program's (see takeForDetach)
        t.stopped = stop;
        t.hasDeferredStop = true; // unpause must not resume it before its status is handled
        unpause(p);
        t.hasDeferredStop = false;
    }

    /** An engine asked for a stop (STOP, REPORT or INTERRUPT) that has not come yet. */
    private static boolean stopWanted(Task t) {
        for (Engine e : t.engines) {
            if (e.quiescePending || e.interruptPending) {
                return true;
            }
        }
        return false;
    }

    /** The step trap of a step-over: the original instruction ran. */
    private void afterStepOver(Task t, StepOver so) {
        boolean engineStep = so.engineStep;
        t.stopped = true;
        t.hasDeferredStop = false;
        t.stepping = false;
        t.interruptOutstanding = false;
        t.regs = null;
        try {
            if (t.debugRegisters.mayHaveTrapped()) {
                // The displaced instruction may have written a watched variable: same exception.
                long dr6 = DebugRegisters.read(t.tid, DebugRegisters.DR_STATUS);
                if ((dr6 & DebugRegisters.DR6_SLOTS) != 0) {
                    // BS here is our own step's, never the program's: masked so it is not passed on.
                    hardwareTrap(t, engineStep ? dr6 : dr6 & ~DebugRegisters.DR6_BS, engineStep, true, so.site.address);
                    return;
                }
            }
            List<SoftwareWatchTable.Watch> hits = softWatchHits(t);
            if (!hits.isEmpty()) {
                // The displaced instruction changed a software-watched value.
                t.stateLabel = hits.get(0).watchpoint.toString();
                beginPass(t, Event.WATCHPOINT);
                softWatchRound(t, hits, so.site.address);
                if (engineStep) {
                    stepRound(t);
                }
                endPass(t);
                return;
            }
            if (engineStep) {
                stepDone(t);
                return;
            }
            if (so.wantStop || stopWanted(t)) {
                requestedStop(t);
                return;
            }
            maybeResume(t);
        } catch (NoSuchTaskException gone) {
            // Killed while we looked at it: its death follows.
            t.stopped = false;
            t.toExiting();
            t.inPass = false;
        }
    }

    private void requestStop(Task t) {
        if (t.interruptOutstanding || t.dead()) {
            return;
        }
        StepOver so = t.process.stepOver;
        if ((so != null && so.task == t && so.lifted) || (t.stepping && !t.stepWasBlock)) {
            // A single-step in flight: its trap is a stop that comes at once (a blocking syscall
            // under the step excepted), and a stop wanted meanwhile is taken there. An interrupt
            // now could trap after the instruction ran and before the step's SIGTRAP is dequeued:
            // that SIGTRAP would stay queued and reach the program as a signal (after a detach, too).
            return;
        }
        try {
            Ptrace.interrupt(t.tid);
            t.interruptOutstanding = true;
        } catch (NoSuchTaskException gone) {
            t.toExiting();
        }
    }

    /** An engine turned syscall reports on or off: a running task must be resumed in the new mode. */
    void syscallModeChanged(Task t) {
        if (!t.stopped && !t.dead() && !t.groupStopped) {
            requestStop(t); // its interrupt stop finds no pending report and resumes in the new mode
        }
    }

    // ------------------------------------------------------------------ engine calls (on the tracer thread)

    /** An engine's control call: {@link Arbiter#control} decides, this applies it. */
    Result control(Engine e, ResumeAction action) {
        Task t = e.task;
        Arbiter.Control c = Arbiter.control(e, action);
        if (c.quiesceNow()) {
            vote(t, e, invoke(e, Event.QUIESCE, x -> x.ops.quiesce(x, t, Event.QUIESCE)), false);
        }
        if (c.interruptReportNow()) {
            interruptReport(t);
        }
        if (c.requestStop()) {
            requestStop(t);
        }
        if (c.resume()) {
            maybeResume(t);
        }
        return c.result();
    }

    Examination examine(Engine e) {
        Task t = e.task;
        if (t.dead()) {
            throw new StaleExaminationException("task " + t.tid + " is gone");
        }
        if (!t.stopped || (!e.holdsStop && !e.inCallback)) {
            throw new IllegalStateException(e + " does not hold task " + t.tid
                    + " stopped: examine it from a callback or after control(STOP) completed");
        }
        return new Examination(this, e, t, t.generation);
    }

    Regs regs(Task t) {
        if (t.regs == null) {
            t.regs = Ptrace.getRegs(t.tid);
        }
        return t.regs;
    }

    void engineDetached(Engine e) {
        Task t = e.task;
        Arbiter.release(e);
        t.remove(e);
        TracedProcess p = t.process;
        if (p.detached) {
            return;
        }
        boolean opsRemains = false;
        for (Task x : p.tasks.values()) {
            for (Engine o : x.engines) {
                opsRemains |= o.ops == e.ops && !o.detached;
            }
        }
        if (!opsRemains && !p.breakpoints.isEmpty()) {
            try {
                p.breakpoints.removeAll(e.ops);
            } catch (RuntimeException gone) {
                // The process is gone: its memory with it.
            }
        }
        if (!opsRemains) {
            p.softWatches.removeAll(e.ops, p.breakpoints);
        }
        if (!opsRemains && p.watchpoints.removeAll(e.ops)) {
            try {
                applyWatchpoints(p);
            } catch (RuntimeException failed) {
                errorHandler.accept(failed);
            }
        }
        if (t.dead()) {
            return;
        }
        for (Task x : p.tasks.values()) {
            if (x.engines.length > 0) {
                if (t.stopped && !t.inPass) {
                    maybeResume(t);
                }
                return;
            }
        }
        detachProcess(p);
    }

    // ------------------------------------------------------------------ attach, launch, detach

    Engine attach(int tid, EngineOps ops, int flags, Object data, long mask) {
        Task t = tasks.get(tid);
        if ((flags & AttachFlags.CREATE) == 0 || (flags & AttachFlags.EXCLUSIVE) != 0) {
            Engine match = t == null ? null : match(t, ops, flags, data);
            if ((flags & AttachFlags.CREATE) == 0) {
                return match;
            }
            if (match != null) {
                throw new TracingException("an engine matching " + (data != null ? data : ops) + " is already attached to task " + tid);
            }
        }
        if (t == null || t.dead()) {
            TracedProcess seized = seizeProcess(tid);
            try {
                t = tasks.get(tid);
                if (t == null) {
                    throw new TracingException("task " + tid + " exited while being attached");
                }
                Engine e = new Engine(this, t, ops, data, mask);
                t.add(e);
                return e;
            } finally {
                unpause(seized); // the seize stopped every thread: let them all go where nobody holds them
            }
        }
        Engine e = new Engine(this, t, ops, data, mask);
        t.add(e);
        for (Task x : t.process.tasks.values()) {
            maybeResume(x);
        }
        return e;
    }

    private static Engine match(Task t, EngineOps ops, int flags, Object data) {
        for (Engine e : t.engines) {
            if (e.detached) {
                continue;
            }
            boolean ok = true;
            if ((flags & AttachFlags.MATCH_OPS) != 0) {
                ok &= e.ops == ops;
            }
            if ((flags & AttachFlags.MATCH_DATA) != 0) {
                ok &= java.util.Objects.equals(e.data, data);
            }
            if (ok) {
                return e;
            }
        }
        return null;
    }

    List<Engine> attachAll(int pid, EngineOps ops, Object data, long mask, boolean stop) {
        TracedProcess p = processes.get(pid);
        if (p == null) {
            p = seizeProcess(pid);
        } else {
            pause(p);
        }
        try {
            if (processes.get(pid) != p) {
                throw new TracingException("process " + pid + " exited while being attached");
            }
            List<Engine> engines = new ArrayList<>();
            for (Task t : p.tasks()) {
                Engine e = new Engine(this, t, ops, data, mask);
                e.holdsStop = stop;
                t.add(e);
                engines.add(e);
            }
            return engines;
        } finally {
            unpause(p);
        }
    }

    /**
     * Seizes every thread of the process of {@code tid} and brings each to a stop (running the
     * event loop, never a wait for one tid). Stops that are not our interrupt's are held for
     * normal dispatch. The process is left paused: the caller ends the pause ({@link #unpause}).
     */
    private TracedProcess seizeProcess(int tid) {
        ProcStatus st = ProcFs.status(tid);
        int pid = st.tgid();
        if (st.kernelThread()) {
            throw new TracingException("process " + pid + " (" + st.name() + ") is a kernel thread: it cannot be traced");
        }
        if (pid == myPid) {
            throw new TracingException("process " + pid + " is this JVM: a process cannot trace itself");
        }
        boolean wasStopped = st.state() == 'T';
        TracedProcess p = new TracedProcess(pid, false, wasStopped);
        List<Task> seized = new ArrayList<>();
        try {
            seizeListed(p, seized);
        } catch (RuntimeException e) {
            for (Task t : seized) {
                detachQuietly(t.tid, 0);
            }
            throw e;
        }
        if (seized.isEmpty()) {
            throw new NoSuchTaskException("attach", pid);
        }
        processes.put(pid, p);
        for (Task t : seized) {
            tasks.put(t.tid, t);
        }
        pause(p);
        try {
            seizeMissing(p);
        } catch (RuntimeException e) {
            unpause(p);
            throw e;
        }
        return p;
    }

    /**
     * A thread created during the listing by a thread not seized yet can be missing from it: seizes
     * those too, {@code p} paused.
     */
    private void seizeMissing(TracedProcess p) {
        int pid = p.pid;
        // A thread created during the listing by a thread not seized yet can be missing from it.
        // Now that every seized thread is stopped (and their new threads are auto-attached), the
        // count (the Threads line of /proc/PID/status) says whether one is missing: far cheaper
        // than a second listing, which for 1000 threads costs the kernel milliseconds.
        while (true) {
            int count;
            try {
                count = ProcFs.status(pid).threads();
            } catch (NoSuchTaskException gone) {
                break; // the process is exiting: its deaths follow
            }
            int known = 0;
            for (Task t : p.tasks.values()) {
                known += t.dead() ? 0 : 1;
            }
            if (count <= known) {
                break;
            }
            List<Task> more = new ArrayList<>();
            seizeListed(p, more);
            if (more.isEmpty()) {
                break;
            }
            for (Task t : more) {
                tasks.put(t.tid, t);
            }
            stopAndAwait(p);
        }
    }

    private boolean tracedByUs(int tid) {
        try {
            return ProcFs.status(tid).tracerPid() == myPid;
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /** Seizes the threads of {@code p} listed in /proc that it does not have yet; adds them to {@code seized}. */
    private void seizeListed(TracedProcess p, List<Task> seized) {
        for (int x : ProcFs.tasks(p.pid)) {
            if (p.tasks.containsKey(x)) {
                continue;
            }
            try {
                Ptrace.seize(x, OPTIONS);
            } catch (NoSuchTaskException gone) {
                continue; // a thread that exited meanwhile
            } catch (dev.multitrace.linux.PermissionDeniedException e) {
                if (tracedByUs(x)) {
                    continue; // a clone of a seized thread: auto-attached, its first stop is on its way
                }
                throw e;
            }
            Task t = new Task(x, p);
            p.tasks.put(x, t);
            seized.add(t);
        }
    }

    Engine launch(LaunchSpec spec, EngineOps ops, Object data, long mask) {
        Spawner sp = new Spawner(spec.command());
        if (spec.environment() != null) {
            sp.environment(spec.environment());
        }
        if (spec.workingDirectory() != null) {
            sp.directory(spec.workingDirectory());
        }
        if (!spec.pipeStdio()) {
            sp.inheritIO();
        }
        SpawnedProcess child = sp.start();
        int pid = child.pid();
        claimed.put(pid, new ArrayDeque<>()); // its statuses are ours until it is a task
        try {
            try {
                Ptrace.seize(pid, OPTIONS | PtraceConstants.EXITKILL);
            } catch (RuntimeException e) {
                LibC.kill(pid, Signal.SIGKILL);
                int raw;
                do {
                    raw = nextStatusOf(pid);
                } while (raw != NO_STATUS && Stop.isStop(raw));
                throw e;
            }
            // posix_spawn returns once the child's exec of the gate shell has begun, which can be before
            // that exec reports. Interrupt it and take its first stop: either the shell's own EXEC stop
            // (which consumes the interrupt: any ptrace stop clears a pending one) or the interrupt
            // stop. Either way the shell's exec is behind us, and the next EXEC is the program's.
            Ptrace.interrupt(pid);
            waitLaunchStop(spec, child, pid, ANY_STOP);
            child.release();
            Ptrace.cont(pid, 0);
            waitLaunchStop(spec, child, pid, EVENT_EXEC);
        } finally {
            claimed.remove(pid);
        }
        TracedProcess p = new TracedProcess(pid, true, false);
        p.stdin = child.stdin();
        p.stdout = child.stdout();
        p.stderr = child.stderr();
        Task t = new Task(pid, p);
        t.stopped = true;
        t.stateLabel = "before first instruction";
        processes.put(pid, p);
        addTask(t);
        Engine e = new Engine(this, t, ops, data, mask);
        e.holdsStop = true;
        t.add(e);
        maybeResume(t);
        return e;
    }

    /** Waits for the launched child's stop with {@code event}, passing on what comes before it. */
    private void waitLaunchStop(LaunchSpec spec, SpawnedProcess child, int pid, int event) {
        while (true) {
            int raw = nextStatusOf(pid);
            if (raw == NO_STATUS) {
                throw LinuxException.of(LibC.errno(), "waitpid(" + pid + ")");
            }
            if (!Stop.isStop(raw)) {
                throw new TracingException("cannot launch " + spec.command() + ": " + ExitStatus.of(raw)
                        + before127(child, raw));
            }
            int ev = (raw >>> 16) & 0xff;
            if (ev == event || event == ANY_STOP) {
                return;
            }
            int sig = (raw >>> 8) & 0xff;
            Ptrace.cont(pid, ev == 0 && sig != Signal.SIGTRAP ? sig : 0);
        }
    }

    private static String before127(SpawnedProcess child, int raw) {
        try {
            byte[] err = child.stderr().readNBytes(4096);
            String s = new String(err, java.nio.charset.StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "" : " (" + s + ")";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /**
     * Detaches from every thread of {@code p}: each is brought to a stop first (ptrace can only
     * detach a stopped tracee), a signal it stopped for is passed on, and PTRACE_DETACH clears any
     * single-step flag. A group-stopped process stays stopped.
     */
    void detachProcess(TracedProcess p) {
        if (p.detached) {
            if (alive(p.pid) && tracedByUs(p.pid)) {
                errorHandler.accept(new TracingException("process " + p.pid + " is to be let go, but the service let go of it"
                        + " or took it for gone already, and it lives on, traced by us"));
            }
            return;
        }
        p.detached = true;
        for (Task t : p.tasks.values()) {
            for (Engine e : t.engines) {
                e.detached = true;
                e.holdsStop = false;
            }
        }
        // Every thread is brought to a stop first, then the int3 bytes go, then the threads: no
        // thread can run into a breakpoint after nobody traces it. The pause is never ended:
        // nothing of the process is left to resume.
        pause(p);
        while (takePendingForDetach(p) || !allSettled(p)) {
            stopAndAwait(p); // a thread born meanwhile, told of by its parent's stop
        }
        drainQueuedTraps(p);
        letGoOfEarlyForkChildren(p); // their parent's FORK event will not be reported now
        restoreBreakpoints(p);
        List<Integer> tids = new ArrayList<>(p.tasks.keySet());
        for (Task t : new ArrayList<>(p.tasks.values())) {
            if (t.dead()) {
                if (tracedByUs(t.tid) && alive(t.tid)) {
                    errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                            + " taken for dead at the detach, yet traced and alive (" + t.stateLabel + ")"));
                }
                continue;
            }
            if (t.stopped) {
                try {
                    rewindIfOnOurTrap(t);
                    t.debugRegisters.clear(t.tid);
                } catch (LinuxException gone) {
                    // Killed meanwhile: nothing to clear.
                }
                if (!detached(t.tid, t.pendingSignal) && tracedByUs(t.tid)) {
                    // Not in a ptrace stop after all: it runs on, traced by nobody who waits for it.
                    errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                            + " could not be let go: not in a ptrace stop though taken for stopped ("
                            + t.stateLabel + ")"));
                }
            }
            // Not stopped: exiting, past its exit stop. It runs no user code; its death comes to us
            // (and to its parent), as the status of a task we no longer know. (Should it be in a
            // stop after all, a PTRACE_INTERRUPT having failed as for a gone task, this lets it go;
            // a stop of it that comes later is let go by unknownTask.)
            if (!t.stopped && !detached(t.tid, 0) && tracedByUs(t.tid) && alive(t.tid)) {
                errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                        + " taken for exiting at the detach, yet traced and alive (" + t.stateLabel + ")"));
            }
            forget(t);
            t.toDead();
            t.stateLabel = "detached";
        }
        deferred.removeIf(d -> tids.contains(d[0]) || d[0] == p.pid);
        p.held.clear();
        processes.remove(p.pid);
        if (p.launched) {
            detachedChildren.put(p.pid, p);
        } else {
            p.exit.complete(null);
        }
    }

    /**
     * Fork children of {@code p} whose first stop came before their parent's FORK event, when that
     * event will not come (the parent is let go or gone): let go, the int3 copies out of their memory.
     */
    private void letGoOfEarlyForkChildren(TracedProcess p) {
        // By the parent seen at their first stop: a child whose parent died has another one now.
        for (var it = earlyForkChildren.entrySet().iterator(); it.hasNext();) {
            var child = it.next();
            if (child.getValue() == p.pid) {
                it.remove();
                letGoOfForkChild(p, child.getKey(), CloneKind.FORK).run();
            }
        }
    }

    private void restoreBreakpoints(TracedProcess p) {
        try {
            p.breakpoints.restoreAll();
        } catch (RuntimeException e) {
            // The process died meanwhile: no memory is left to restore. Alive, it keeps an int3
            // that will kill it: that must be told, not swallowed.
            if (alive(p.pid)) {
                errorHandler.accept(new TracingException("an int3 may be left in process " + p.pid
                        + ", let go: " + e.getMessage(), e));
            }
        }
    }

    private static boolean alive(int pid) {
        try {
            return ProcFs.status(pid).state() != 'Z';
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /** A thread stopped by our int3 but not yet reported must not be let go with pc after it. */
    private void rewindIfOnOurTrap(Task t) {
        if (t.pendingSignal == Signal.SIGTRAP && t.process.watchpoints.everUsed()) {
            // Nor with the SIGTRAP of our debug registers, which would kill it.
            SigInfo info = Ptrace.getSigInfo(t.tid);
            if (info.code() == SigInfo.TRAP_HWBKPT || info.code() == SigInfo.TRAP_TRACE) {
                long dr6 = DebugRegisters.read(t.tid, DebugRegisters.DR_STATUS);
                if ((dr6 & DebugRegisters.DR6_SLOTS) != 0) {
                    DebugRegisters.write(t.tid, DebugRegisters.DR_STATUS, 0);
                    // Our own step traps were not passed on (takeForDetach): a BS here is the program's.
                    t.pendingSignal = (dr6 & DebugRegisters.DR6_BS) != 0 ? Signal.SIGTRAP : 0;
                }
            }
        }
        if (t.pendingSignal == Signal.SIGTRAP && t.process.breakpoints.wasPlanted(regs(t).pc() - 1)) {
            SigInfo info = Ptrace.getSigInfo(t.tid);
            if (info.code() == SigInfo.SI_KERNEL) {
                Regs r = regs(t);
                r.setPc(r.pc() - 1);
                Ptrace.setRegs(t.tid, r);
                t.pendingSignal = 0;
            }
        }
    }

    /**
     * A thread our interrupt stopped just after it executed an int3 (or finished a step) has the
     * trap's SIGTRAP still queued (the kernel takes the interrupt's trap before it dequeues
     * signals): delivered after we let go, it would kill the program. Such a thread is resumed,
     * not interrupted again: the queued signal is dequeued before any instruction runs, and
     * that stop is taken for the detach (the SIGTRAP of our int3 suppressed, the pc rewound).
     * <p>
     * Resumed once is not always enough: an interrupt sent while the thread sat in a stop we had
     * not collected yet is still pending in the kernel (only a trap entered after it consumes
     * it), and it traps again before the dequeue. So the threads are looked at again after each
     * round until none has a SIGTRAP queued. Each round consumes one such interrupt, and a
     * thread has at most one pending, so the bound is never what ends it.
     */
    private void drainQueuedTraps(TracedProcess p) {
        for (int round = 0; round < MAX_DRAIN_ROUNDS; round++) {
            boolean resumed = false;
            for (Task t : new ArrayList<>(p.tasks.values())) {
                if (!t.stopped || t.dead() || t.exiting() || t.hasDeferredStop || !hasTrapQueued(t)) {
                    continue;
                }
                try {
                    Ptrace.cont(t.tid, 0);
                    t.stopped = false;
                    t.stepping = false; // a trap of its step is told by t.stepTrapMayBeQueued
                    resumed = true;
                } catch (RuntimeException gone) {
                    // Killed meanwhile: its death follows.
                }
            }
            if (!resumed) {
                return;
            }
            if (!runUntil(() -> allSettled(p))) {
                return;
            }
            while (takePendingForDetach(p) || !allSettled(p)) {
                stopAndAwait(p);
            }
        }
        for (Task t : p.tasks.values()) {
            if (t.stopped && !t.dead() && hasTrapQueued(t)) {
                errorHandler.accept(new TracingException("thread " + t.tid + " of process " + p.pid
                        + " still has a SIGTRAP queued after " + MAX_DRAIN_ROUNDS + " rounds of the detach"));
            }
        }
    }

    private static boolean hasTrapQueued(Task t) {
        try {
            return (ProcFs.status(t.tid).sigPnd() & (1L << (Signal.SIGTRAP - 1))) != 0;
        } catch (RuntimeException gone) {
            return false; // killed meanwhile: nothing is delivered to it any more
        }
    }

    /**
     * Takes every stop of {@code p} seen and not handled yet for the detach: what each thread
     * stopped for tells what to pass on (a signal) and what else to let go (a new thread).
     *
     * @return whether there was one
     */
    private boolean takePendingForDetach(TracedProcess p) {
        List<int[]> pending = new ArrayList<>(p.held);
        p.held.clear();
        for (var it = deferred.iterator(); it.hasNext();) {
            int[] d = it.next();
            Task t = tasks.get(d[0]);
            if (t != null && t.process == p) {
                it.remove();
                pending.add(d);
            }
        }
        for (int[] d : pending) {
            Task t = tasks.get(d[0]);
            if (t != null && !t.dead()) {
                t.hasDeferredStop = false;
                takeForDetach(t, d[1]);
            }
        }
        return !pending.isEmpty();
    }

    private void takeForDetach(Task t, int raw) {
        if (!Stop.isStop(raw)) {
            died(t, raw);
            return;
        }
        t.stopped = true;
        t.regs = null;
        t.interruptOutstanding = false;
        int sig = (raw >>> 8) & 0xff;
        int event = (raw >>> 16) & 0xff;
        long message;
        try {
            message = event == EVENT_CLONE || event == EVENT_FORK || event == EVENT_VFORK ? eventMessage(t, event) : 0;
        } catch (NoSuchTaskException killed) {
            // Out of that stop and dying: there is nothing to take from it, its death follows.
            t.stopped = false;
            t.toExiting();
            return;
        }
        CloneKind kind = event == EVENT_CLONE ? cloneKind(t, (int) message)
                : event == EVENT_FORK ? CloneKind.FORK : event == EVENT_VFORK ? CloneKind.VFORK : null;
        if (kind == CloneKind.THREAD) {
            // A thread born during the detach: it is traced too and must be let go as well.
            int child = (int) message;
            if (!t.process.tasks.containsKey(child)) {
                Task c = new Task(child, t.process);
                c.awaitingInitialStop = true;
                addTask(c);
            }
        } else if (kind != null) {
            int child = (int) message;
            Runnable letGo = letGoOfForkChild(t.process, child, kind);
            if (earlyForkChildren.remove(child) != null) {
                letGo.run();
            } else {
                forkChildrenToDetach.put(child, letGo);
            }
        }
        // Our step's trap is never the program's. It is this stop, or, when an interrupt stopped
        // the thread after the stepped instruction ran and before the trap was dequeued, it waits
        // queued behind it, to be dequeued when drainQueuedTraps resumes the thread: then its
        // si_code (the kernel's step trap, not a signal sent by someone or an int3) tells it apart
        // from a SIGTRAP the program was sent meanwhile.
        boolean stepTrap = sig == Signal.SIGTRAP && (t.stepping || t.stepTrapMayBeQueued && event == 0 && isStepTrap(t));
        if (event != 0 && t.stepping) {
            t.stepTrapMayBeQueued = true;
        } else if (stepTrap) {
            t.stepTrapMayBeQueued = false; // consumed: a queued trap is dequeued before any later one
        }
        t.stepping = false;
        t.steppedOver = null;
        t.pendingSignal = event == 0 && sig != (Signal.SIGTRAP | 0x80) && !stepTrap ? sig : 0;
    }

    /** The si_code of the kernel's single-step trap (TRAP_TRACE, or TRAP_BRKPT after a stepped syscall). */
    private static boolean isStepTrap(Task t) {
        try {
            int code = Ptrace.getSigCode(t.tid);
            return code > 0 && code != SigInfo.SI_KERNEL;
        } catch (NoSuchTaskException gone) {
            return false; // killed meanwhile: nothing is delivered to it any more
        }
    }

    private void detachQuietly(int tid, int sig) {
        detached(tid, sig);
    }

    /** @return false if PTRACE_DETACH failed: the thread is gone, or not in a ptrace stop */
    private static boolean detached(int tid, int sig) {
        try {
            Ptrace.detach(tid, sig);
            return true;
        } catch (LinuxException gone) {
            // Already gone: nothing is left to detach.
            return false;
        }
    }

    void kill(TracedProcess p) {
        LibC.kill(p.pid, Signal.SIGKILL);
    }

    Task task(int tid) {
        return tasks.get(tid);
    }
}
