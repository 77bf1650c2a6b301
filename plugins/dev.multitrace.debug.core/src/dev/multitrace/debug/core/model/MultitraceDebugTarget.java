package dev.multitrace.debug.core.model;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Signals;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.debug.core.breakpoints.MultitraceBreakpoint;
import dev.multitrace.debug.core.breakpoints.MultitraceWatchpoint;
import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.CodeBreakpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.DataWatchpoint;
import dev.multitrace.session.Expression;
import dev.multitrace.session.SessionListener;
import dev.multitrace.session.SignalSettings;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.eclipse.core.resources.IMarkerDelta;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.ILog;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.IBreakpointManagerListener;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IMemoryBlock;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IMemoryBlockRetrievalExtension;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;

/**
 * The traced process in the Debug view: its threads, breakpoints, memory, and the engines that
 * trace it. A thin adapter over a {@link DebugSession}: it turns the session's reports into
 * DebugEvents and the platform's requests into session calls.
 *
 * <h2>Events</h2>
 * Thread CREATE/TERMINATE as threads come and go; thread SUSPEND (detail BREAKPOINT, STEP_END or
 * CLIENT_REQUEST) and RESUME (STEP_INTO/OVER/RETURN or CLIENT_REQUEST) as the debugger holds and
 * releases them; thread CHANGE (detail STATE) when engines attach, detach, or take or release a
 * hold (the Engines view refreshes on it; callback counts change without events: poll them);
 * target TERMINATE when the process is gone or the session detached.
 */
public final class MultitraceDebugTarget extends MultitraceDebugElement
        implements IDebugTarget, IMemoryBlockRetrievalExtension, IBreakpointManagerListener, SessionListener {

    private static final ILog LOG = Platform.getLog(MultitraceDebugTarget.class);

    private final ILaunch launch;
    private final DebugSession session;
    private final TraceeProcess process;
    private final String name;
    private final Map<Integer, MultitraceThread> threads = new ConcurrentHashMap<>();
    /**
     * Each installed breakpoint's session form; one that did not resolve (its library is not loaded
     * yet) is pending in the session, which plants it when the library is loaded.
     */
    private final Map<MultitraceBreakpoint, CodeBreakpoint> installed = new ConcurrentHashMap<>();
    /** The watchpoints inserted in the session. */
    private final Map<MultitraceWatchpoint, DataWatchpoint> watching = new ConcurrentHashMap<>();
    /** Watchpoints waiting for a stop whose innermost frame can evaluate their expression. */
    private final Set<MultitraceWatchpoint> pendingWatchpoints = ConcurrentHashMap.newKeySet();
    /** Held while the session's breakpoints are changed to match the workspace's (see {@link #sync}). */
    private final Object breakpointLock = new Object();
    private final List<String> memoryExpressions = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> signalNotes = new CopyOnWriteArrayList<>();
    private volatile boolean instructionStepping;
    /** The session is over: the process ended, or the debugger detached from it ({@link #disconnected}). */
    private volatile boolean terminated;
    private volatile boolean disconnected;
    private final LaunchEngines engines;

    public MultitraceDebugTarget(ILaunch launch, DebugSession session, TraceeProcess process, String name) {
        super(null);
        this.launch = launch;
        this.session = session;
        this.process = process;
        this.name = name;
        this.engines = new LaunchEngines(launch, session, name);
        for (int tid : session.threads()) {
            threads.put(tid, new MultitraceThread(this, tid));
        }
        session.addListener(this);
    }

    /** Fires the creation events and installs the workspace's Multitrace breakpoints. */
    public void started() {
        fireCreationEvent();
        for (MultitraceThread t : threads.values()) {
            t.fireCreationEvent();
        }
        IBreakpointManager m = DebugPlugin.getDefault().getBreakpointManager();
        m.addBreakpointListener(this);
        m.addBreakpointManagerListener(this);
        for (IBreakpoint bp : m.getBreakpoints(MultitraceDebug.MODEL_ID)) {
            breakpointAdded(bp);
        }
        for (MultitraceThread t : threads.values()) {
            if (session.isHeld(t.tid())) {
                t.fire(DebugEvent.SUSPEND, DebugEvent.CLIENT_REQUEST);
            }
        }
    }

    public DebugSession session() {
        return session;
    }

    @Override
    public IDebugTarget getDebugTarget() {
        return this;
    }

    @Override
    public ILaunch getLaunch() {
        return launch;
    }

    // ------------------------------------------------------------------ API for the views

    /** Line steps step one instruction instead (the UI's instruction-stepping toggle). */
    public boolean isInstructionStepping() {
        return instructionStepping;
    }

    public void setInstructionStepping(boolean on) {
        instructionStepping = on;
    }

    /** The session's pass/stop/print setting per signal (the Signals view edits it; changes apply at once). */
    public SignalSettings getSignalSettings() {
        return session.signalSettings();
    }

    /** Receives "Thread 12 received SIGUSR1" notes for signals whose setting says print. */
    public void addSignalNoteListener(Consumer<String> l) {
        signalNotes.add(l);
    }

    public void removeSignalNoteListener(Consumer<String> l) {
        signalNotes.remove(l);
    }

    /** Memory expressions shown as variables of every frame (e.g. {@code *(int*)&counter}). */
    public List<String> memoryExpressions() {
        return List.copyOf(memoryExpressions);
    }

    /** Adds a memory expression; {@link DebugException} if it does not parse. */
    public void addMemoryExpression(String expression) throws DebugException {
        try {
            Expression.parse(expression);
        } catch (Expression.ExpressionException e) {
            throw new DebugException(MultitraceDebug.error("'" + expression + "': " + e.getMessage(), e));
        }
        memoryExpressions.add(expression.strip());
        fireChangeEvent(DebugEvent.CONTENT);
    }

    public void removeMemoryExpression(String expression) {
        memoryExpressions.remove(expression);
        fireChangeEvent(DebugEvent.CONTENT);
    }

    /** The engines attached for this session besides the debugger (syscall tracer, GDB stub...). */
    public List<AttachedEngine> getAttachedEngines() {
        return engines.attached();
    }

    /** The engines a user attaches from the Engines view, each with a console of this launch. */
    public LaunchEngines engines() {
        return engines;
    }

    /**
     * Attaches a syscall tracer to every thread; its lines go to a new console ("syscall tracer:
     * NAME") of this launch.
     */
    public AttachedEngine attachSyscallTracer() throws DebugException {
        return engines.attachSyscallTracer();
    }

    /**
     * Attaches the GDB stub engine on a loopback TCP port (0: any free one; the engine's name says
     * which); its log goes to a new console of this launch. It holds the threads until a gdb
     * connects and continues them.
     */
    public AttachedEngine attachGdbStub(int port) throws DebugException {
        return engines.attachGdbStub(port);
    }

    /** Detaches an engine from every thread (its holds go with it). */
    public void detachEngine(AttachedEngine engine) throws DebugException {
        engines.detach(engine);
    }

    // ------------------------------------------------------------------ IDebugTarget

    @Override
    public IProcess getProcess() {
        return process;
    }

    @Override
    public IThread[] getThreads() {
        List<MultitraceThread> l = new ArrayList<>(threads.values());
        l.sort(Comparator.comparingInt(MultitraceThread::tid));
        return l.toArray(IThread[]::new);
    }

    public MultitraceThread thread(int tid) {
        return threads.get(tid);
    }

    @Override
    public boolean hasThreads() {
        return !threads.isEmpty();
    }

    /** {@code loop (pid 4242)}, with {@code [detached]} once the debugger let it go (its process says whether it still runs). */
    @Override
    public String getName() {
        if (disconnected) {
            return name + " [detached]";
        }
        return name;
    }

    @Override
    public boolean supportsBreakpoint(IBreakpoint breakpoint) {
        return (breakpoint instanceof MultitraceBreakpoint || breakpoint instanceof MultitraceWatchpoint)
                && MultitraceDebug.MODEL_ID.equals(breakpoint.getModelIdentifier());
    }

    @Override
    public boolean canTerminate() {
        return !terminated;
    }

    /**
     * A target the debugger disconnected from is disconnected, not terminated: its program runs on
     * (its process element says so). The launch counts it as over all the same.
     */
    @Override
    public boolean isTerminated() {
        return terminated && !disconnected;
    }

    @Override
    public void terminate() throws DebugException {
        try {
            ServiceCalls.run(session, "Terminate " + name, session::terminate);
        } catch (DebugException e) {
            // The service did not answer (the session's kill is a kill(2) that needs no answer, so
            // this is a safety net): the program is killed all the same, as the user asked; the
            // session ends when the service reaps it.
            ProcessHandle.of(session.pid()).ifPresent(ProcessHandle::destroyForcibly);
            throw e;
        } catch (RuntimeException e) {
            throw failure("cannot terminate " + name, e);
        }
    }

    @Override
    public boolean canResume() {
        return !terminated && threads.values().stream().anyMatch(MultitraceThread::isSuspended);
    }

    @Override
    public boolean canSuspend() {
        return !terminated && threads.values().stream().anyMatch(t -> !t.isSuspended());
    }

    @Override
    public boolean isSuspended() {
        return !terminated && !threads.isEmpty() && threads.values().stream().allMatch(MultitraceThread::isSuspended);
    }

    @Override
    public void resume() throws DebugException {
        try {
            ServiceCalls.run(session, "Resume " + name, session::resumeAll);
        } catch (RuntimeException e) {
            throw failure("cannot resume " + name, e);
        }
    }

    @Override
    public void suspend() throws DebugException {
        try {
            ServiceCalls.run(session, "Suspend " + name, session::suspendAll);
        } catch (RuntimeException e) {
            throw failure("cannot suspend " + name, e);
        }
    }

    /** Detach: the process runs on, with every breakpoint byte restored. */
    @Override
    public boolean canDisconnect() {
        return !terminated;
    }

    @Override
    public void disconnect() throws DebugException {
        try {
            ServiceCalls.run(session, "Disconnect from " + name, session::detach);
        } catch (RuntimeException e) {
            throw failure("cannot detach from " + name, e);
        }
    }

    @Override
    public boolean isDisconnected() {
        return disconnected;
    }

    // ------------------------------------------------------------------ breakpoints

    @Override
    public void breakpointAdded(IBreakpoint breakpoint) {
        if (breakpoint instanceof MultitraceWatchpoint w && supportsBreakpoint(w)) {
            syncWatchpoint(w);
        } else if (supportsBreakpoint(breakpoint)) {
            sync((MultitraceBreakpoint) breakpoint);
        }
    }

    /**
     * Brings the session in line with a watchpoint, as {@link #sync} does for code breakpoints. Its expression is
     * evaluated in the innermost frame of a held thread; while no thread is held, or none where the expression
     * means something, it waits for the next stop ({@link #threadStopped}).
     */
    private void syncWatchpoint(MultitraceWatchpoint w) {
        synchronized (breakpointLock) {
            pendingWatchpoints.remove(w);
            DataWatchpoint old = watching.remove(w);
            if (old != null) {
                try {
                    ServiceCalls.run(session, "Remove watchpoint " + old.label(), () -> session.removeWatchpoint(old));
                } catch (DebugException | RuntimeException e) {
                    LOG.warn("cannot remove watchpoint " + old.label() + ": " + MultitraceDebug.describe(e), e);
                }
            }
            boolean wanted;
            try {
                wanted = !terminated && DebugPlugin.getDefault().getBreakpointManager().isEnabled()
                        && DebugPlugin.getDefault().getBreakpointManager().isRegistered(w) && w.isEnabled();
            } catch (CoreException e) {
                wanted = false;
            }
            if (!wanted) {
                return;
            }
            MultitraceThread held = threads.values().stream().filter(t -> session.isHeld(t.tid())).findFirst().orElse(null);
            if (held == null) {
                pendingWatchpoints.add(w);
                return;
            }
            try {
                DataWatchpoint d = ServiceCalls.call(session, "Watch " + w.getExpression(), () -> {
                    DataWatchpoint x = held.variables(0).watchpoint(w.getExpression(), w.kind(), w);
                    session.addWatchpoint(x);
                    return x;
                });
                watching.put(w, d);
            } catch (DebugException | RuntimeException e) {
                pendingWatchpoints.add(w); // a local of a function not entered yet: tried again at the next stop
                LOG.info("watchpoint " + w.getExpression() + " waits: " + MultitraceDebug.describe(e));
            }
        }
    }

    /** The session's watchpoint of {@code w}, or null while it waits for a stop (for views and tests). */
    public DataWatchpoint watching(MultitraceWatchpoint w) {
        return watching.get(w);
    }

    /**
     * Brings the session in line with the breakpoint as it is now: planted (re-resolved, with its
     * current condition, hit count and thread filter) if it is registered and enabled and the
     * manager is enabled, else not planted. Every change goes through here under
     * {@link #breakpointLock}, so notifications that race (the launch installing while the
     * workspace's delayed marker notifications arrive) cannot leave a stale breakpoint planted.
     * Never called on the tracer thread (planting waits for it).
     */
    private void sync(MultitraceBreakpoint bp) {
        synchronized (breakpointLock) {
            IBreakpointManager m = DebugPlugin.getDefault().getBreakpointManager();
            boolean wanted;
            try {
                wanted = !terminated && m.isEnabled() && m.isRegistered(bp) && bp.isEnabled();
            } catch (CoreException e) {
                wanted = false; // its marker is gone
            }
            MultitraceBreakpoint.Resolution r = wanted ? bp.resolve(session) : null;
            CodeBreakpoint planted = installed.get(bp);
            if (planted != null && r != null && sameSettings(planted, r, bp)) {
                // a marker notification that changed nothing this session uses (often the delayed one of the
                // breakpoint's own creation): taking it out and back in would let the hits of that moment pass
                return;
            }
            CodeBreakpoint old = installed.remove(bp);
            if (old != null) {
                removeFromSession(old);
            }
            if (!wanted) {
                return;
            }
            CodeBreakpoint cb = new CodeBreakpoint(r.label(), r.addresses(), bp.parsedCondition(), bp.getHitCount(),
                    bp.getThreadFilter(), bp, () -> enabledNow(bp));
            installed.put(bp, cb);
            try {
                // The resolver runs on the tracer thread when libraries are loaded or after exec.
                // Called on whatever thread changed the breakpoint: the UI thread for a toggle in an editor or
                // Skip All Breakpoints, a Building job for marker changes. Time-limited (ServiceCalls).
                ServiceCalls.run(session, "Plant breakpoint " + r.label(), () -> session.addBreakpoint(cb, symbols -> bp.resolve(session).addresses()));
            } catch (DebugException e) {
                LOG.warn(e.getMessage(), e);
            } catch (RuntimeException e) {
                LOG.warn("cannot plant " + r.label() + ": " + MultitraceDebug.describe(e), e);
            }
        }
    }

    /** Whether {@code planted} is what {@code bp} resolved to {@code r} would plant now. */
    private static boolean sameSettings(CodeBreakpoint planted, MultitraceBreakpoint.Resolution r, MultitraceBreakpoint bp) {
        return planted.label().equals(r.label()) && java.util.Arrays.equals(planted.addresses(), r.addresses())
                && java.util.Objects.equals(planted.condition(), bp.parsedCondition()) && planted.hitCount() == bp.getHitCount()
                && planted.threads().equals(bp.getThreadFilter());
    }

    /** Removes a planted breakpoint, time-limited: a stuck service is reported, the caller goes on. */
    private void removeFromSession(CodeBreakpoint cb) {
        try {
            ServiceCalls.run(session, "Remove breakpoint " + cb.label(), () -> session.removeBreakpoint(cb));
        } catch (DebugException e) {
            LOG.warn(e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove " + cb.label() + ": " + MultitraceDebug.describe(e), e);
        }
    }

    /** Read at each hit (tracer thread): the marker's enabled attribute and the manager's "skip all breakpoints". */
    private static boolean enabledNow(MultitraceBreakpoint bp) {
        try {
            return bp.isEnabled() && DebugPlugin.getDefault().getBreakpointManager().isEnabled();
        } catch (CoreException e) {
            return false; // the marker is gone: the breakpoint was deleted
        }
    }

    @Override
    public void breakpointRemoved(IBreakpoint breakpoint, IMarkerDelta delta) {
        if (breakpoint instanceof MultitraceWatchpoint w) {
            synchronized (breakpointLock) {
                pendingWatchpoints.remove(w);
                DataWatchpoint d = watching.remove(w);
                if (d != null) {
                    try {
                        ServiceCalls.run(session, "Remove watchpoint " + d.label(), () -> session.removeWatchpoint(d));
                    } catch (DebugException | RuntimeException e) {
                        LOG.warn("cannot remove watchpoint " + d.label() + ": " + MultitraceDebug.describe(e), e);
                    }
                }
            }
        }
        if (breakpoint instanceof MultitraceBreakpoint bp) {
            synchronized (breakpointLock) {
                CodeBreakpoint cb = installed.remove(bp);
                if (cb != null) {
                    removeFromSession(cb);
                }
            }
        }
    }

    @Override
    public void breakpointChanged(IBreakpoint breakpoint, IMarkerDelta delta) {
        if (breakpoint instanceof MultitraceWatchpoint w && supportsBreakpoint(w)) {
            syncWatchpoint(w);
        } else if (supportsBreakpoint(breakpoint)) {
            sync((MultitraceBreakpoint) breakpoint);
        }
    }

    @Override
    public void breakpointManagerEnablementChanged(boolean enabled) {
        for (IBreakpoint bp : DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID)) {
            breakpointChanged(bp, null);
        }
    }

    // ------------------------------------------------------------------ memory

    @Override
    public boolean supportsStorageRetrieval() {
        return true;
    }

    @Override
    public IMemoryBlock getMemoryBlock(long startAddress, long length) throws DebugException {
        return new MultitraceMemoryBlock(this, startAddress, length, "0x" + Long.toHexString(startAddress));
    }

    /**
     * A memory block at the address an expression gives ({@code 0x601040}, {@code $rsp},
     * {@code &counter}), evaluated on the context's thread (a frame or thread) or any suspended thread.
     */
    @Override
    public IMemoryBlockExtension getExtendedMemoryBlock(String expression, Object context) throws DebugException {
        MultitraceThread t = contextThread(context);
        long address;
        try {
            address = Expression.parse(expression).evaluate(t.context());
        } catch (RuntimeException e) {
            throw new DebugException(MultitraceDebug.error("'" + expression + "': " + MultitraceDebug.describe(e), e));
        }
        return new MultitraceMemoryBlock(this, address, 0, expression);
    }

    private MultitraceThread contextThread(Object context) throws DebugException {
        if (context instanceof MultitraceStackFrame f) {
            return f.thread();
        }
        if (context instanceof MultitraceThread t) {
            return t;
        }
        return suspendedThread();
    }

    /** Any thread the debugger holds (memory is per process: any one can read it). */
    MultitraceThread suspendedThread() throws DebugException {
        for (MultitraceThread t : threads.values()) {
            if (t.isSuspended()) {
                return t;
            }
        }
        throw new DebugException(MultitraceDebug.error(name + " is running: suspend it to read its memory", null));
    }

    // ------------------------------------------------------------------ session reports (tracer thread)

    @Override
    public void threadAdded(int tid) {
        MultitraceThread t = new MultitraceThread(this, tid);
        if (threads.putIfAbsent(tid, t) == null) {
            t.fireCreationEvent();
        }
    }

    @Override
    public void threadStopped(int tid, StopReason reason) {
        MultitraceThread t = threads.get(tid);
        if (t == null) {
            return;
        }
        t.suspended();
        if (!pendingWatchpoints.isEmpty()) {
            // not on the tracer thread (this callback's): inserting waits for it
            java.util.concurrent.CompletableFuture.runAsync(() -> List.copyOf(pendingWatchpoints).forEach(this::syncWatchpoint));
        }
        int detail = switch (reason.kind()) {
            case BREAKPOINT -> DebugEvent.BREAKPOINT;
            case STEP -> DebugEvent.STEP_END;
            case SUSPEND, ATTACH -> DebugEvent.CLIENT_REQUEST;
            case WATCHPOINT -> DebugEvent.BREAKPOINT; // the platform has no watchpoint detail: JDT reports its watchpoints so too
            default -> DebugEvent.UNSPECIFIED;
        };
        t.fire(DebugEvent.SUSPEND, detail);
    }

    @Override
    public void threadResumed(int tid, StepKind step) {
        MultitraceThread t = threads.get(tid);
        if (t == null) {
            return;
        }
        t.resumed(step);
        int detail = step == null ? DebugEvent.CLIENT_REQUEST : switch (step) {
            case INTO, INSTRUCTION -> DebugEvent.STEP_INTO;
            case OVER, INSTRUCTION_OVER -> DebugEvent.STEP_OVER;
            case RETURN -> DebugEvent.STEP_RETURN;
        };
        t.fire(DebugEvent.RESUME, detail);
    }

    @Override
    public void threadRemoved(int tid) {
        MultitraceThread t = threads.remove(tid);
        if (t != null) {
            t.fireTerminateEvent();
        }
    }

    @Override
    public void enginesChanged(int tid) {
        MultitraceThread t = threads.get(tid);
        if (t != null) {
            t.fire(DebugEvent.CHANGE, DebugEvent.STATE);
        }
    }

    @Override
    public void signalReceived(int tid, int signal, boolean stopped) {
        String note = "Thread " + tid + " received " + Signals.name(signal) + (stopped ? "; stopped" : "; passed on");
        for (Consumer<String> l : signalNotes) {
            l.accept(note);
        }
    }

    @Override
    public void sessionEnded(ExitStatus status) {
        disconnected = status == null;
        terminated = true;
        IBreakpointManager m = DebugPlugin.getDefault().getBreakpointManager();
        m.removeBreakpointListener(this);
        m.removeBreakpointManagerListener(this);
        installed.clear();
        for (MultitraceThread t : List.copyOf(threads.values())) {
            threads.remove(t.tid());
            t.fireTerminateEvent();
        }
        if (status == null) {
            process.detached(session.pid());
        } else {
            process.ended(status);
        }
        fireTerminateEvent();
    }

    @Override
    public <T> T getAdapter(Class<T> adapter) {
        if (adapter == IDebugElement.class || adapter == IDebugTarget.class) {
            return adapter.cast(this);
        }
        return super.getAdapter(adapter);
    }
}
