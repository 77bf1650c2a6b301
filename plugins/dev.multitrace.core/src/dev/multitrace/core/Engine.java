package dev.multitrace.core;

import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One engine attached to one task: its callbacks, its event mask and its own per-task state
 * (does it hold the task stopped, does it want a step).
 *
 * <h2>Threading</h2>
 * Every method may be called from any thread. Calls that need the task (control, detach,
 * examine's register access) are run by the tracer thread: from another thread they are queued
 * and the caller waits for the answer; from a callback (already on the tracer thread) they run at
 * once. {@link #barrier} never runs on the tracer thread's behalf and must not be called from a
 * callback of this engine.
 * <p>
 * The fields written by other threads ({@code mask}, {@code detached}) are volatile and read by
 * the tracer thread immediately before each callback; {@code inCallback} is written by the tracer
 * thread <em>before</em> it reads them. That Dekker-style order is what makes
 * {@link #setEvents} and {@link #detach} exact: either the tracer sees the change and does not
 * call, or the caller sees {@code inCallback} and answers {@link Result#IN_PROGRESS}, after which
 * {@link #barrier} waits for the callback to return.
 */
public final class Engine {

    final Tracer tracer;
    final Task task;
    final EngineOps ops;
    final Object data;

    volatile long mask;
    volatile boolean detached;
    /** Set by the tracer thread around every callback of this engine. */
    volatile boolean inCallback;
    /** Callbacks run so far, and the last resume action this engine chose (callback or control): for views. */
    volatile long callbackCount;
    volatile ResumeAction lastAction;
    private final Object barrierLock = new Object();

    // --- Tracer-thread-only state below: read and written only by the tracer thread. ---
    /** This engine holds the task stopped (sticky STOP). */
    boolean holdsStop;
    /** This engine asked for a step (SINGLESTEP or BLOCKSTEP) to start at the next resume. */
    ResumeAction stepRequest;
    /** This engine asked (STOP/REPORT) for a QUIESCE report at the next stop. */
    boolean quiescePending;
    /** This engine asked (INTERRUPT) for a signal-report stop. */
    boolean interruptPending;

    Engine(Tracer tracer, Task task, EngineOps ops, Object data, long mask) {
        this.tracer = tracer;
        this.task = task;
        this.ops = ops;
        this.data = data;
        this.mask = mask;
    }

    public Task task() {
        return task;
    }

    public EngineOps ops() {
        return ops;
    }

    public Object data() {
        return data;
    }

    public Set<Event> events() {
        return Event.set(mask);
    }

    public boolean isDetached() {
        return detached;
    }

    /**
     * Whether this engine holds the task stopped. Exact on the tracer thread; from another thread,
     * a snapshot.
     */
    public boolean holdsStop() {
        return holdsStop;
    }

    /** How many callbacks of this engine have run (a snapshot, for views). */
    public long callbackCount() {
        return callbackCount;
    }

    /** The last resume action this engine chose, by a callback's answer or by {@link #control}; null if none yet. */
    public ResumeAction lastAction() {
        return lastAction;
    }

    boolean wants(Event e) {
        return (mask & e.bit) != 0;
    }

    /**
     * Changes the event mask, effective before the next callback.
     *
     * @return {@link Result#IN_PROGRESS} when a callback for an event now disabled may still be
     *         running (call {@link #barrier} to wait for it), {@link Result#ALREADY} when detached
     */
    public Result setEvents(Set<Event> events) {
        if (detached) {
            return Result.ALREADY;
        }
        long old = mask;
        mask = Event.mask(events);
        boolean running = inCallback && (old & ~mask) != 0;
        if (((old ^ mask) & Event.ANY_SYSCALL) != 0) {
            // Syscall stops are on only while some engine wants them: the resume mode may change.
            tracer.post(() -> tracer.syscallModeChanged(task));
        }
        return running ? Result.IN_PROGRESS : Result.OK;
    }

    /** See the spec's control rules: STOP, INTERRUPT, REPORT, steps, RESUME and DETACH. */
    public Result control(ResumeAction action) {
        if (action == ResumeAction.DETACH) {
            return detach();
        }
        return controlIf(() -> true, action);
    }

    /**
     * {@link #control} decided on the tracer thread: {@code action} is applied only if {@code stillWanted} holds
     * there. Callbacks run on that thread, so none can run between the check and the action. A client that let
     * the task go in its own bookkeeping and then asks to resume it needs this: until the request reaches the
     * tracer thread, a callback (another thread's breakpoint, in all-stop) may have stopped it again, finding
     * it still stopped; applied anyway, the resume would undo that stop.
     *
     * @return {@link Result#ALREADY} when {@code stillWanted} was false and nothing was done
     */
    public Result controlIf(BooleanSupplier stillWanted, ResumeAction action) {
        if (action == ResumeAction.DETACH) {
            throw new IllegalArgumentException("detach is not conditional");
        }
        return tracer.call(() -> {
            if (!stillWanted.getAsBoolean()) {
                return Result.ALREADY;
            }
            lastAction = action;
            return tracer.control(this, action);
        });
    }

    /**
     * {@link #control} with what follows from its result decided on the tracer thread too: {@code then} runs there
     * right after the action, before any callback of the task can run, and may call this engine again (inline). A
     * client whose bookkeeping of the answer can be overtaken by another of its threads needs this: a debugger's
     * stop answered OK (no QUIESCE report follows) whose request a resume cancelled meanwhile must take its STOP
     * vote back itself, and no callback may see the vote in between.
     *
     * @return what {@code then} returns
     */
    public <T> T control(ResumeAction action, Function<Result, T> then) {
        if (action == ResumeAction.DETACH) {
            throw new IllegalArgumentException("detach is not followed by anything");
        }
        return tracer.call(() -> then.apply(control(action)));
    }

    /**
     * Waits until no callback of this engine is running. Interruptible and never spinning.
     *
     * @return OK, or TIMEOUT if it gave up (interrupt or {@code timeout})
     */
    public Result barrier(Duration timeout) {
        if (tracer.onTracerThread()) {
            // A callback of another engine may call this: no callback of ours can run concurrently.
            return inCallback ? Result.IN_PROGRESS : Result.OK;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (barrierLock) {
            while (inCallback) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Result.TIMEOUT;
                }
                try {
                    barrierLock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Result.TIMEOUT;
                }
            }
        }
        return Result.OK;
    }

    /** Waits without limit (but interruptibly) until no callback of this engine runs. */
    public Result barrier() {
        return barrier(Duration.ofDays(1));
    }

    /** Called by the tracer thread after each callback of this engine returns. */
    void callbackDone() {
        synchronized (barrierLock) {
            inCallback = false;
            barrierLock.notifyAll();
        }
    }

    /**
     * Examines the task: only while this engine holds it stopped (or from this engine's callback).
     *
     * @throws IllegalStateException if this engine does not hold the task
     */
    public Examination examine() {
        return tracer.call(() -> tracer.examine(this));
    }

    /**
     * Detaches this engine: its holds are released and no callback of it runs after
     * {@link #barrier} returns. The last engine of a process to detach makes the service detach
     * from the process, leaving no single-step flag behind.
     *
     * @return OK, IN_PROGRESS (a callback of it is running now), or ALREADY
     */
    public Result detach() {
        if (detached) {
            return Result.ALREADY;
        }
        detached = true;
        boolean running = inCallback;
        if (running) {
            // Our callback runs now and may be waiting for this very thread: do not wait for it.
            tracer.post(() -> tracer.engineDetached(this));
            return Result.IN_PROGRESS;
        }
        tracer.call(() -> {
            tracer.engineDetached(this);
            return null;
        });
        return Result.OK;
    }

    /**
     * Plants a breakpoint owned by this engine's ops (its client). The int3 byte is written once
     * per address whatever the number of owners, and taken out when the last owner removes it,
     * detaches, at exec, and before the service detaches from the process. Hits are reported as
     * BREAKPOINT on every thread where an engine with the same ops is attached.
     */
    public void insertBreakpoint(long address) {
        tracer.call(() -> {
            if (detached) {
                throw new IllegalStateException(this + " is detached");
            }
            task.process.breakpoints.insert(ops, address);
            return null;
        });
    }

    /**
     * In a followed fork child: the breakpoints and watchpoints the child inherited from the
     * parent's, where {@code parentOwner} owned them, become this engine's ops' (for a client
     * that keeps one ops object per process). Then this engine removes them like its own, and
     * they go with it when it detaches. Sites other owners share stay theirs too.
     */
    public void adoptInherited(EngineOps parentOwner) {
        tracer.call(() -> {
            task.process.breakpoints.transferOwner(parentOwner, ops);
            task.process.watchpoints.transferOwner(parentOwner, ops);
            task.process.softWatches.transferOwner(parentOwner, ops);
            return null;
        });
    }

    /** @return whether this engine's client had a breakpoint there */
    public boolean removeBreakpoint(long address) {
        return tracer.call(() -> task.process.breakpoints.remove(ops, address));
    }

    /**
     * Inserts a watchpoint owned by this engine's ops, in every thread of the process, threads
     * created later included: in a debug register where this machine's registers trap
     * ({@link Tracing#debugRegisters()}) and one of the four is free (or holds an equal
     * watchpoint), else in software ({@link WatchMethod#SOFTWARE}: write watches of any length up
     * to 4096 bytes, execute watches as int3 breakpoints; a READ_WRITE watch cannot be kept in
     * software and is refused). Equal watchpoints of several owners are shared; one is freed
     * when the last owner removes it or detaches, at exec, and before the service detaches from
     * the process. When this returns, every thread of the process carries it. Hits are reported
     * as {@link Event#WATCHPOINT} ({@link EngineOps#watchpoint}) to the owners' engines on the
     * thread that hit.
     * <p>
     * What the hardware cannot do: accesses the kernel makes for the thread (a {@code read(2)}
     * into the watched bytes) do not fire a debug register (a software write watch sees them).
     * A fork child gets clean debug registers from the kernel: it keeps the parent's watchpoints
     * (same owners) only when the service follows it.
     *
     * @return the watchpoint, with the method chosen; {@link #removeWatchpoint} takes it back
     * @throws TracingException when the watch cannot be kept (a read watch without working debug
     *                          registers or a free slot, a bad length or alignment for the
     *                          hardware, an address the kernel refuses or that is not mapped)
     */
    public Watchpoint insertWatchpoint(long address, int length, WatchKind kind) {
        return insertWatchpoint(address, length, kind, null);
    }

    /**
     * As {@link #insertWatchpoint(long, int, WatchKind)} with the method given ({@code null}: the
     * service chooses). {@link WatchMethod#HARDWARE} fails with the reason where the debug
     * registers do not trap, or the four slots hold other watchpoints.
     */
    public Watchpoint insertWatchpoint(long address, int length, WatchKind kind, WatchMethod method) {
        if (kind == null) {
            throw new TracingException("a watchpoint needs a kind (EXECUTE, WRITE or READ_WRITE)");
        }
        DebugRegisterSupport hardware = Tracing.debugRegisters(); // probed here, not on the tracer thread
        return tracer.call(() -> {
            if (detached) {
                throw new IllegalStateException(this + " is detached");
            }
            return tracer.insertWatchpoint(task.process, ops, address, length, kind, method, hardware);
        });
    }

    /** @return whether this engine's client had that watchpoint (either method); it is freed with its last owner */
    public boolean removeWatchpoint(long address, int length, WatchKind kind) {
        return tracer.call(() -> tracer.removeWatchpoint(task.process, ops, address, length, kind));
    }

    @Override
    public String toString() {
        return "Engine[" + (data != null ? data : ops.getClass().getSimpleName()) + " on " + task.tid() + "]";
    }
}
