package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;
import dev.multitrace.linux.Stdio;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The request queue and its doorbell: how other threads get work done on the tracer thread
 * (rules 2 and 3 of {@link Tracer}).
 * <p>
 * Threading: {@link #call}, {@link #post} and {@link #ring} run on any thread; the queue is
 * concurrent, {@link #waiting} and {@link #doorbell} are volatile and {@link #rung} atomic, so that
 * a requester rings only when the tracer thread may be waiting in {@code waitpid}, once per wait.
 * {@link #startDoorbell} and {@link #doorbellEvent} run on the tracer thread only (the doorbell is
 * a tracee: only the thread that seized it may resume it).
 */
final class RequestQueue {

    private final TracerContext cx;

    RequestQueue(TracerContext cx) {
        this.cx = cx;
    }

    final ConcurrentLinkedQueue<FutureTask<?>> requests = new ConcurrentLinkedQueue<>();

    volatile boolean waiting;

    final AtomicBoolean rung = new AtomicBoolean();

    volatile int doorbell;

    /** Runs {@code c} on the tracer thread and returns its result (rule 2). */
    <T> T call(Callable<T> c) {
        if (cx.tracer.onTracerThread()) {
            try {
                return c.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new TracingException(e.getMessage(), e);
            }
        }
        if (!cx.tracer.thread.isAlive()) {
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
        if (cx.tracer.onTracerThread()) {
            r.run();
            return;
        }
        requests.add(new FutureTask<>(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                cx.tracer.errorHandler.accept(e);
            }
            return null;
        }));
        ring();
    }

    void ring() {
        if (waiting && rung.compareAndSet(false, true)) {
            LibC.kill(doorbell, Signal.SIGURG);
        }
    }

    void startDoorbell() {
        SpawnedProcess p = new Spawner(List.of("sleep", "infinity")).stdin(Stdio.NULL).stdout(Stdio.NULL)
                .stderr(Stdio.NULL).start();
        Ptrace.seize(p.pid(), PtraceConstants.EXITKILL);
        p.release();
        doorbell = p.pid();
    }

    void doorbellEvent(int raw) {
        rung.set(false);
        if (Stop.isStop(raw)) {
            Ptrace.cont(doorbell, 0);
        } else {
            startDoorbell();
        }
    }
}
