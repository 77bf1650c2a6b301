package dev.multitrace.core;

import dev.multitrace.linux.Errno;
import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.x86_64.Regs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;

/**
 * The tracer thread: its event loop, and the entry points the rest of the service calls.
 * <p>
 * What it decides without the kernel is elsewhere: {@link Stop} decodes a wait status,
 * {@link Arbiter} runs the engines' votes and says whether and how a stopped task resumes (the
 * kernel-free model check in core.tests drives it), {@link Task.Life} is a thread's life. What
 * applies those decisions with ptrace is cut into pieces of one concept each, which share the
 * tracer-thread-only state of a {@link TracerContext}: the request queue and its doorbell
 * ({@link RequestQueue}), where a wait status goes ({@link Dispatcher}), pauses and stop-all
 * ({@link StopAll}), the reporting passes and engine control ({@link Passes}), the event stops of a
 * task's life ({@link TaskEvents}), signal delivery ({@link SignalDelivery}), steps
 * ({@link Steps}), watchpoints ({@link Watches}), breakpoint hits and the step over them
 * ({@link Breakpoints}), the resume ({@link Resumer}), attach ({@link Attacher}), launch
 * ({@link Launcher}) and detach ({@link Detacher}). What is left here is the loop that waits for
 * statuses and requests ({@link #run}, and {@link #runUntil} for an operation that waits), and the
 * composition.
 *
 * <h2>Threading rules</h2>
 * <ol>
 * <li>One long-lived platform thread, {@link #thread}, issues every ptrace and waitpid call: the
 * kernel accepts ptrace requests only from the thread that attached, and if that thread exited its
 * tracees would be detached (or, with EXITKILL, killed).</li>
 * <li>All fields not marked volatile or concurrent here and in {@link Task} and {@link Engine} are
 * read and written by the tracer thread only. Other threads reach them only through {@link RequestQueue#call},
 * which queues a request for the tracer thread and waits for the answer. On the tracer thread
 * (inside a callback) {@link RequestQueue#call} runs the request at once, so callbacks can call every engine
 * method without deadlock.</li>
 * <li>The tracer thread sleeps in {@code waitpid(-1, __WALL|__WNOTHREAD)}. {@code __WNOTHREAD}
 * makes it see only its own children and tracees, never the JDK's. To wake it for a request, a
 * requester signals the <em>doorbell</em>: a {@code sleep} process this thread traces, whose
 * signal-delivery-stop ends the wait. A stop is queued by the kernel, so a ring that comes just
 * before the wait starts is not lost (a signal handler in the JVM would have that race).
 * {@link RequestQueue#waiting} and {@link RequestQueue#rung} are volatile and make a requester ring only when the tracer
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

    /** The shared state and the pieces: made before the thread starts (see {@link TracerContext}). */
    final TracerContext cx = new TracerContext(this);

    /** Options of every seize: clones followed (threads are traced automatically), exec and exit
     *  reported, syscall-stops told apart from SIGTRAP, fork children seen so that they can be
     *  detached (or followed) explicitly, and the end of a vfork (the child exec'd or exited, the
     *  parent runs again) reported as VFORK_DONE. */
    static final int OPTIONS = PtraceConstants.TRACECLONE | PtraceConstants.TRACEEXEC | PtraceConstants.TRACEEXIT
            | PtraceConstants.TRACESYSGOOD | PtraceConstants.TRACEFORK | PtraceConstants.TRACEVFORK
            | PtraceConstants.TRACEVFORKDONE;

    private static final int WAIT_ANY = PtraceConstants.__WALL | PtraceConstants.__WNOTHREAD;

    final Thread thread;

    private volatile boolean closing;

    private final java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);

    private volatile Throwable startFailure;

    /** Set from any thread ({@link Tracing#onCallbackError}), read by the pieces on the tracer thread. */
    volatile Consumer<Throwable> errorHandler = t -> System.getLogger("dev.multitrace.core")
            .log(System.Logger.Level.WARNING, "engine callback failed", t);

    // --- Tracer-thread-only state. ---
    /** How many waits ({@link #runUntil}) are running on the stack: 0 in the main loop. */
    int loopDepth;

    private final int[] status = new int[1];

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

    void close() {
        if (!thread.isAlive()) {
            return;
        }
        cx.queue.call(() -> {
            for (TracedProcess p : new ArrayList<>(cx.processes.values())) {
                if (p.launched) {
                    LibC.kill(p.pid, Signal.SIGKILL);
                } else {
                    cx.detacher.detachProcess(p);
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
            cx.queue.startDoorbell();
        } catch (Throwable t) {
            startFailure = t;
            started.countDown();
            return;
        }
        started.countDown();
        while (!(closing && cx.processes.isEmpty())) {
            FutureTask<?> r;
            while ((r = cx.queue.requests.poll()) != null) {
                r.run();
            }
            if (closing && cx.processes.isEmpty()) {
                break;
            }
            if (!cx.deferred.isEmpty()) {
                int[] d = cx.deferred.poll();
                try {
                    cx.dispatcher.dispatch(d[0], d[1], false);
                } catch (RuntimeException e) {
                    errorHandler.accept(e);
                }
                continue;
            }
            cx.queue.waiting = true;
            if (!cx.queue.requests.isEmpty()) {
                cx.queue.waiting = false;
                continue;
            }
            int tid = LibC.waitpid(-1, status, WAIT_ANY);
            cx.queue.waiting = false;
            if (tid > 0) {
                try {
                    cx.dispatcher.dispatch(tid, status[0], true);
                } catch (RuntimeException e) {
                    errorHandler.accept(e);
                }
            } else {
                int errno = LibC.errno();
                if (errno == Errno.ECHILD) {
                    cx.queue.startDoorbell();
                } else if (errno != Errno.EINTR) {
                    errorHandler.accept(LinuxException.of(errno, "waitpid(-1)"));
                }
            }
        }
        // The doorbell is our child: reaped, not left a zombie of the JVM.
        int bell = cx.queue.doorbell;
        LibC.kill(bell, Signal.SIGKILL);
        int gone;
        do {
            gone = LibC.waitpid(-1, status, WAIT_ANY);
            TracedProcess child = gone > 0 ? cx.detachedChildren.remove(gone) : null;
            if (child != null) {
                letGoChildEnded(child, ExitStatus.of(status[0]));
            }
        } while (gone != bell && (gone > 0 || LibC.errno() == Errno.EINTR));
        reapDetachedChildrenLater();
        FutureTask<?> r;
        while ((r = cx.queue.requests.poll()) != null) {
            r.cancel(false);
        }
    }

    /**
     * A program we launched and let go ended and this thread reaped it: its status goes to the
     * service's clients and, kept by pid, to those that watch it from outside (the debug model's
     * watcher of a disconnected program, whose own wait now finds nothing to reap).
     */
    static void letGoChildEnded(TracedProcess child, ExitStatus status) {
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
        for (TracedProcess child : new ArrayList<>(cx.detachedChildren.values())) {
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
        cx.detachedChildren.clear();
    }

    /** Returned by {@link #nextStatusOf} when the tid cannot be waited for (gone, or not ours). */
    static final int NO_STATUS = -1;

    /**
     * Runs the event loop until {@code done} holds: every status is dispatched as in the main loop
     * (see the rule "never blocks on one task"). Requests wait for the outer operation to end.
     *
     * @return false if nothing is left to wait for (ECHILD) or the wait failed: what the caller
     *         waits for will not come
     */
    boolean runUntil(java.util.function.BooleanSupplier done) {
        loopDepth++;
        try {
            while (!done.getAsBoolean()) {
                int tid = LibC.waitpid(-1, status, WAIT_ANY);
                if (tid > 0) {
                    try {
                        cx.dispatcher.dispatch(tid, status[0], true);
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
                    cx.queue.startDoorbell();
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
    int nextStatusOf(int tid) {
        ArrayDeque<Integer> q = cx.claimed.computeIfAbsent(tid, k -> new ArrayDeque<>());
        if (q.isEmpty() && !runUntil(() -> !q.isEmpty())) {
            return NO_STATUS;
        }
        return q.poll();
    }

    Examination examine(Engine e) {
        Task t = e.task;
        if (t.dead()) {
            throw new StaleExaminationException("task " + t.tid + " is gone");
        }
        if (!t.stopped() || (!e.holdsStop && !e.inCallback)) {
            throw new IllegalStateException(e + " does not hold task " + t.tid
                    + " stopped: examine it from a callback or after control(STOP) completed");
        }
        return new Examination(this, e, t, t.generation);
    }

    // ------------------------------------------------------------------ entry points (Tracing, Engine, Examination)

    <T> T call(Callable<T> c) {
        return cx.queue.call(c);
    }

    void post(Runnable r) {
        cx.queue.post(r);
    }

    Map<Integer, TracedProcess> processes() {
        return cx.processes;
    }

    Task task(int tid) {
        return cx.task(tid);
    }

    Regs regs(Task t) {
        return cx.regs(t);
    }

    Engine launch(LaunchSpec spec, EngineOps ops, Object data, long mask) {
        return cx.launcher.launch(spec, ops, data, mask);
    }

    Engine attach(int tid, EngineOps ops, int flags, Object data, long mask) {
        return cx.attacher.attach(tid, ops, flags, data, mask);
    }

    List<Engine> attachAll(int pid, EngineOps ops, Object data, long mask, boolean stop) {
        return cx.attacher.attachAll(pid, ops, data, mask, stop);
    }

    Result control(Engine e, ResumeAction action) {
        return cx.passes.control(e, action);
    }

    void syscallModeChanged(Task t) {
        cx.stopAll.syscallModeChanged(t);
    }

    void engineDetached(Engine e) {
        cx.detacher.engineDetached(e);
    }

    void detachProcess(TracedProcess p) {
        cx.detacher.detachProcess(p);
    }

    void kill(TracedProcess p) {
        cx.detacher.kill(p);
    }

    Watchpoint insertWatchpoint(TracedProcess p, EngineOps owner, long address, int length, WatchKind kind,
            WatchMethod method, DebugRegisterSupport hardware) {
        return cx.watches.insertWatchpoint(p, owner, address, length, kind, method, hardware);
    }

    boolean removeWatchpoint(TracedProcess p, EngineOps owner, long address, int length, WatchKind kind) {
        return cx.watches.removeWatchpoint(p, owner, address, length, kind);
    }
}
