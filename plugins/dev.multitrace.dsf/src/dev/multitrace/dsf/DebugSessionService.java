package dev.multitrace.dsf;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The DSF session's link to the headless {@link DebugSession} of the process it debugs: holds it, names its
 * process and threads as DSF contexts, and turns the session's listener callbacks (tracer thread) into
 * {@link SessionEvents} dispatched on this session's executor. The other services reach the debugger
 * through {@link #debugSession()}; this one holds no debugger logic.
 *
 * <p>A launch or an attach binds its process ({@link #bind}); the fork children its session follows
 * ({@link DebugSession#setFollowForks}) join it as processes of their own, each with its {@link DebugSession}
 * ({@link SessionEvents.ProcessForked}), and leave it when they end. {@link #debugSession()} is the launch's or
 * the attach's; a context's is {@link #sessionOf}.
 */
public final class DebugSessionService extends MultitraceService {

    private DebugSession debugSession;
    private ProcessContext process;
    /**
     * The relay of each process by pid, with its context and session: the bound one and the fork children it
     * followed. A child's joins on the tracer thread (before its first event, so that none is lost) and leaves
     * when the child ends; the services read them.
     */
    private final Map<Integer, Relay> relays = new ConcurrentHashMap<>();

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
        Relay relay = new Relay(process, s);
        relays.put(s.pid(), relay);
        s.addListener(relay);
        getSession().dispatchEvent(new SessionEvents.ProcessStarted(process), getProperties());
        for (int tid : s.threads()) {
            getSession().dispatchEvent(new SessionEvents.ThreadStarted(thread(tid)), getProperties());
        }
        return process;
    }

    private void unbind() {
        for (Relay r : relays.values()) {
            r.session.removeListener(r);
            r.closed = true;
        }
        relays.clear();
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

    /** A thread of process {@code pid} (the bound one, or a followed fork child). */
    public ThreadContext thread(int pid, int tid) {
        return new ThreadContext(new ProcessContext(getSession().getId(), pid), tid);
    }

    /**
     * The session of the process {@code ctx} is in (or is), alive or ended; the bound one for a context of no
     * process. Null if that process is not (or no longer) one of this DSF session's.
     */
    public DebugSession sessionOf(IDMContext ctx) {
        ProcessContext p = ctx == null ? null : DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        if (p == null) {
            return debugSession;
        }
        Relay r = relays.get(p.pid());
        return r != null ? r.session : debugSession != null && debugSession.pid() == p.pid() ? debugSession : null;
    }

    /** The processes debugged now: the bound one first, then the followed fork children by pid. */
    public List<ProcessContext> processes() {
        List<ProcessContext> out = new ArrayList<>();
        if (process != null) {
            out.add(process);
        }
        relays.values().stream().filter(r -> r.session != debugSession).map(r -> r.ctx)
                .sorted(java.util.Comparator.comparingInt(ProcessContext::pid)).forEach(out::add);
        return out;
    }

    /** The live sessions: the bound one and the followed fork children not ended yet. */
    public List<DebugSession> liveSessions() {
        return relays.values().stream().map(r -> r.session).filter(x -> !x.isEnded()).toList();
    }

    /**
     * The debugged session when {@code process} is its process and it is still alive; else null with
     * {@code rm} failed (the services' common precondition).
     */
    DebugSession live(ProcessContext ctx, RequestMonitor rm) {
        DebugSession s = ctx == null ? null : sessionOf(ctx);
        if (s == null) {
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

    /** A session's callbacks, on the tracer thread: each only queues an event on the executor. */
    private final class Relay implements SessionListener {
        private final ProcessContext ctx;
        private final DebugSession session;
        volatile boolean closed;

        Relay(ProcessContext ctx, DebugSession session) {
            this.ctx = ctx;
            this.session = session;
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

        /** The child's relay listens before the child's first stop is reported, which comes after this returns. */
        @Override
        public void processForked(DebugSession child) {
            if (closed) {
                return;
            }
            ProcessContext childCtx = new ProcessContext(getSession().getId(), child.pid());
            Relay r = new Relay(childCtx, child);
            relays.put(child.pid(), r);
            child.addListener(r);
            post(new SessionEvents.ProcessForked(childCtx, ctx, child.threads().stream().map(r::t).toList()));
        }

        @Override
        public void sessionEnded(ExitStatus status) {
            post(new SessionEvents.ProcessEnded(ctx, status));
            if (session != debugSession) {
                // a followed child: its contexts are answered as gone from now on
                relays.remove(ctx.pid(), this);
            }
        }
    }
}
