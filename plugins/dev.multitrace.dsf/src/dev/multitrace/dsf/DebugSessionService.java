package dev.multitrace.dsf;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

import java.util.concurrent.RejectedExecutionException;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The DSF session's link to the headless {@link DebugSession} of the process it debugs: holds it, names its
 * process and threads as DSF contexts, and turns the session's listener callbacks (tracer thread) into
 * {@link SessionEvents} dispatched on this session's executor. The other services reach the debugger
 * through {@link #debugSession()}; this one holds no debugger logic.
 *
 * <p>One process per DSF session: a launch or an attach binds it ({@link #bind}), its end unbinds it.
 */
public final class DebugSessionService extends MultitraceService {

    private DebugSession debugSession;
    private ProcessContext process;
    private Relay relay;

    public DebugSessionService(DsfSession session) {
        super(session);
    }

    @Override
    protected void stop() {
        unbind();
    }

    /**
     * Makes {@code s} the debugged process of this DSF session (executor thread). Its current threads are
     * announced as started; add it before {@link DebugSession#start} so that no stop is missed.
     */
    public ProcessContext bind(DebugSession s) {
        if (debugSession != null && !debugSession.isEnded()) {
            throw new IllegalStateException("this DSF session already debugs process " + debugSession.pid());
        }
        unbind();
        debugSession = s;
        process = new ProcessContext(getSession().getId(), s.pid());
        relay = new Relay(process);
        s.addListener(relay);
        getSession().dispatchEvent(new SessionEvents.ProcessStarted(process), getProperties());
        for (int tid : s.threads()) {
            getSession().dispatchEvent(new SessionEvents.ThreadStarted(thread(tid)), getProperties());
        }
        return process;
    }

    private void unbind() {
        if (debugSession != null && relay != null) {
            debugSession.removeListener(relay);
            relay.closed = true;
        }
        relay = null;
    }

    /** The debugged session, or null before a launch or attach. */
    public DebugSession debugSession() {
        return debugSession;
    }

    /** The debugged process, or null before a launch or attach. */
    public ProcessContext process() {
        return process;
    }

    public ThreadContext thread(int tid) {
        return new ThreadContext(process, tid);
    }

    /**
     * The debugged session when {@code process} is its process and it is still alive; else null with
     * {@code rm} failed (the services' common precondition).
     */
    DebugSession live(ProcessContext ctx, RequestMonitor rm) {
        DebugSession s = debugSession;
        if (s == null || ctx == null || ctx.pid() != s.pid()) {
            rm.setStatus(error(INVALID_HANDLE, "no debugged process " + (ctx == null ? "" : ctx.pid())));
            rm.done();
            return null;
        }
        if (s.isEnded()) {
            rm.setStatus(error(INVALID_STATE, "process " + s.pid() + " is gone"));
            rm.done();
            return null;
        }
        return s;
    }

    /**
     * The debugged session when {@code thread} is one of its threads and suspended (what reading its frames or
     * registers needs); else null with {@code rm} failed.
     */
    DebugSession held(ThreadContext thread, RequestMonitor rm) {
        DebugSession s = live(thread.process(), rm);
        if (s != null && !s.isHeld(thread.tid())) {
            rm.setStatus(error(INVALID_STATE, "thread " + thread.tid() + " is running"));
            rm.done();
            return null;
        }
        return s;
    }

    /** The session's callbacks, on the tracer thread: each only queues an event on the executor. */
    private final class Relay implements SessionListener {
        private final ProcessContext ctx;
        volatile boolean closed;

        Relay(ProcessContext ctx) {
            this.ctx = ctx;
        }

        private void post(Object event) {
            if (closed) {
                return;
            }
            try {
                getExecutor().execute(() -> getSession().dispatchEvent(event, getProperties()));
            } catch (RejectedExecutionException e) {
                // the DSF session is shutting down: nobody is left to tell
            }
        }

        private ThreadContext t(int tid) {
            return new ThreadContext(ctx, tid);
        }

        @Override
        public void threadAdded(int tid) {
            post(new SessionEvents.ThreadStarted(t(tid)));
        }

        @Override
        public void threadStopped(int tid, StopReason reason) {
            post(new SessionEvents.ThreadStopped(t(tid), reason));
        }

        @Override
        public void threadResumed(int tid, StepKind step) {
            post(new SessionEvents.ThreadResumed(t(tid), step));
        }

        @Override
        public void threadRemoved(int tid) {
            post(new SessionEvents.ThreadExited(t(tid)));
        }

        @Override
        public void librariesChanged() {
            post(new SessionEvents.ModulesChanged(ctx));
        }

        @Override
        public void imageReplaced() {
            post(new SessionEvents.ModulesChanged(ctx));
        }

        @Override
        public void sessionEnded(ExitStatus status) {
            post(new SessionEvents.ProcessEnded(ctx, status));
        }
    }
}
