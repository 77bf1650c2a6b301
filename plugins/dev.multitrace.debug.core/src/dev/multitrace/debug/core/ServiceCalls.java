package dev.multitrace.debug.core;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.debug.core.DebugException;

/**
 * Time-limited calls into the tracing service from threads that must never wait for it for
 * long: the UI thread above all (an action, a view's refresh, a breakpoint toggled in an editor,
 * the Memory view's read), and the workspace's notification threads (a Building job that toggles
 * Skip All Breakpoints).
 * <p>
 * Every request to the service is answered on its one tracer thread ({@code Tracer.call}). If
 * that thread is busy or stuck (an engine callback that blocks, a bug), a plain call waits with
 * it, and a call made on the UI thread freezes the whole IDE (issue 15: the newcomer's Skip All
 * Breakpoints froze the build, the next launch, and File &gt; Exit). Through here the caller waits
 * at most {@link #timeoutMillis()} ({@value #DEFAULT_TIMEOUT_MS} ms, or the system property
 * {@value #TIMEOUT_PROPERTY}); then the caller stops waiting (the thread that waits for the
 * work goes on in the background and ends when the service answers), the failure is reported
 * to the {@linkplain #setReporter reporter} (the UI shows an error naming the operation and logs
 * it), and a {@link DebugException} naming the operation is thrown.
 * <p>
 * Called on the tracer thread itself (a callback), the work runs inline: it cannot wait for
 * itself, and handing it to another thread would.
 */
public final class ServiceCalls {

    /** The system property that sets the timeout in milliseconds. */
    public static final String TIMEOUT_PROPERTY = "multitrace.service.timeout.ms";
    public static final long DEFAULT_TIMEOUT_MS = 3000;
    /** How long a call waits while an earlier request to the same service is overdue. */
    static final long FAIL_FAST_MS = 50;

    /** Work that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /** Work without a result. */
    @FunctionalInterface
    public interface VoidWork {
        void run() throws Exception;
    }

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService CALLERS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "multitrace-service-call-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static volatile Consumer<IStatus> reporter = s -> {
        // no UI: the exception carries the message
    };

    private ServiceCalls() {
    }

    /** Where timeouts are reported (the UI bundle installs one that shows and logs them). */
    public static void setReporter(Consumer<IStatus> r) {
        reporter = r == null ? s -> {
        } : r;
    }

    /** The time a caller waits for the service: the system property {@value #TIMEOUT_PROPERTY}, else 3 s. */
    public static long timeoutMillis() {
        String p = System.getProperty(TIMEOUT_PROPERTY);
        if (p != null) {
            try {
                long v = Long.parseLong(p.strip());
                if (v > 0) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // the default
            }
        }
        return DEFAULT_TIMEOUT_MS;
    }

    /**
     * The requests each service has not answered within the timeout, until it answers them. While
     * one is outstanding, further calls to the same service fail after {@value #FAIL_FAST_MS} ms: a stuck tracer thread
     * costs the caller one timeout, not one per call (Skip All Breakpoints over ten breakpoints).
     */
    private static final Map<Object, String> OVERDUE = new ConcurrentHashMap<>();

    /** Runs {@code work}, waiting at most {@link #timeoutMillis()} for it; {@code operation} names it in a failure ("Terminate sample (pid 42)"). */
    public static <T> T call(String operation, Work<T> work) throws DebugException {
        return call(null, operation, work);
    }

    /**
     * As {@link #call(String, Work)}, for work on one {@code service} (the session: each has its
     * own tracer thread). On a timeout the work is not interrupted (a half-done detach would be
     * worse than a late one): it goes on in the background and ends when the service answers.
     */
    public static <T> T call(Object service, String operation, Work<T> work) throws DebugException {
        if (Thread.currentThread().getName().startsWith("multitrace-tracer")) {
            try {
                return work.run();
            } catch (DebugException e) {
                throw e;
            } catch (Exception e) {
                throw new DebugException(MultitraceDebug.error(operation + ": " + MultitraceDebug.describe(e), e));
            }
        }
        long timeout = timeoutMillis();
        String pending = service == null ? null : OVERDUE.get(service);
        Future<T> f = CALLERS.submit(() -> {
            try {
                return work.run();
            } finally {
                if (service != null) {
                    OVERDUE.remove(service, operation);
                }
            }
        });
        try {
            // Overdue: only a short grace (work that needs no answer from the tracer thread, a kill(2),
            // still succeeds in it).
            return f.get(pending != null ? Math.min(timeout, FAIL_FAST_MS) : timeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            String why = pending == null
                    ? "the tracing service did not answer within " + timeout + " ms (its tracer thread is busy or stuck)"
                    : "the tracing service has not answered \"" + pending + "\" yet (its tracer thread is busy or stuck)";
            IStatus status = MultitraceDebug.error(operation + ": " + why
                    + ". The IDE does not wait for it; the request goes on when the service answers.", null);
            if (service != null && pending == null) {
                OVERDUE.putIfAbsent(service, operation);
                if (f.isDone()) {
                    OVERDUE.remove(service, operation); // it answered meanwhile
                }
            }
            try {
                reporter.accept(status);
            } catch (RuntimeException r) {
                // reporting must not hide the failure
            }
            throw new DebugException(status);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DebugException(MultitraceDebug.error(operation + ": interrupted", e));
        } catch (CancellationException e) {
            throw new DebugException(MultitraceDebug.error(operation + ": cancelled", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DebugException d) {
                throw d;
            }
            throw new DebugException(MultitraceDebug.error(operation + ": " + MultitraceDebug.describe(cause), cause));
        }
    }

    /** As {@link #call(Object, String, Work)}, for work without a result. */
    public static void run(Object service, String operation, VoidWork work) throws DebugException {
        call(service, operation, () -> {
            work.run();
            return null;
        });
    }

    /** As {@link #call}, for work without a result. */
    public static void run(String operation, VoidWork work) throws DebugException {
        call(operation, () -> {
            work.run();
            return null;
        });
    }
}
