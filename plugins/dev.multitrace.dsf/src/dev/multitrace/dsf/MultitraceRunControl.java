package dev.multitrace.dsf;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FunctionInfo;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl;
import org.eclipse.cdt.dsf.debug.service.IRunControl2;
import org.eclipse.cdt.dsf.debug.service.IRunControl3;
import org.eclipse.cdt.core.model.IFunctionDeclaration;
import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * Run control over the headless session: resume, suspend, line and instruction steps of a thread or of
 * the whole process (the container); run to a line or address (the session's temporary breakpoint, gone
 * when the run ends), move to a line or address (the pc set, the thread held); step into selection (the
 * session's, see {@link DebugSession#stepIntoSelection(int, String, long[])}). The session decides all-stop
 * or non-stop; this service mirrors each thread's state as the last event said it, so that a view that handles
 * an event and then asks sees the state that event announced.
 */
public final class MultitraceRunControl extends SessionService implements IRunControl3 {

    /** A thread's state as the events so far told it. */
    private record ThreadState(int pid, boolean suspended, StateChangeReason reason, boolean stepping, StopReason stop) {
    }

    /** By tid (unique among live processes, followed fork children included). */
    private final Map<Integer, ThreadState> states = new HashMap<>();
    /**
     * Per process (pid), the thread of its last stop that was not a suspension for another's (executor-confined);
     * none before one.
     */
    private final Map<Integer, Integer> lastStopped = new HashMap<>();

    public MultitraceRunControl(DsfSession session) {
        super(session, true, IRunControl.class, IRunControl2.class, IRunControl3.class);
    }

    // ------------------------------------------------------------------ events of the session

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ThreadStopped e) {
        StateChangeReason reason = reasonOf(e.reason());
        if (e.reason().kind() != StopReason.Kind.SUSPEND) {
            lastStopped.put(e.thread().process().pid(), e.thread().tid()); // all-stop's others stop for it: the current thread
        }
        states.put(e.thread().tid(), new ThreadState(e.thread().process().pid(), true, reason, false, e.reason()));
        Object bp = e.reason().breakpoint();
        if (bp instanceof IBreakpointDMContext hit) {
            getSession().dispatchEvent(new BreakpointHitEvent(e.thread(), hit, reason), getProperties());
        } else {
            getSession().dispatchEvent(new SuspendedEvent(e.thread(), reason), getProperties());
        }
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ThreadResumed e) {
        StateChangeReason reason = e.step() != null ? StateChangeReason.STEP : StateChangeReason.USER_REQUEST;
        states.put(e.thread().tid(), new ThreadState(e.thread().process().pid(), false, reason, e.step() != null, null));
        getSession().dispatchEvent(new ResumedEvent(e.thread(), reason), getProperties());
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ThreadStarted e) {
        getSession().dispatchEvent(new StartedEvent(e.thread()), getProperties());
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ThreadExited e) {
        states.remove(e.thread().tid());
        getSession().dispatchEvent(new ExitedEvent(e.thread()), getProperties());
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ProcessStarted e) {
        states.clear();
        lastStopped.clear();
        getSession().dispatchEvent(new StartedEvent(e.process()), getProperties());
    }

    /** A followed fork child: a new container in the Debug view, with its threads (their stops follow). */
    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ProcessForked e) {
        getSession().dispatchEvent(new StartedEvent(e.child()), getProperties());
        for (ThreadContext t : e.threads()) {
            getSession().dispatchEvent(new StartedEvent(t), getProperties());
        }
    }

    @DsfServiceEventHandler
    public void eventDispatched(SessionEvents.ProcessEnded e) {
        int pid = e.process().pid();
        states.values().removeIf(st -> st.pid() == pid);
        lastStopped.remove(pid);
        getSession().dispatchEvent(new ExitedEvent(e.process()), getProperties());
    }

    /** What the Debug view says for a stop of the session. */
    static StateChangeReason reasonOf(StopReason r) {
        return switch (r.kind()) {
            case BREAKPOINT, MAIN -> StateChangeReason.BREAKPOINT;
            case STEP -> StateChangeReason.STEP;
            case SIGNAL -> StateChangeReason.SIGNAL;
            case WATCHPOINT -> StateChangeReason.WATCHPOINT;
            case EVENT -> StateChangeReason.EVENT_BREAKPOINT;
            case SUSPEND, ATTACH, ENTRY -> StateChangeReason.USER_REQUEST;
        };
    }

    // ------------------------------------------------------------------ state

    /** The thread's state: the last event's, or the session's own before any event about it arrived. */
    private ThreadState state(DebugSession s, int tid) {
        ThreadState st = states.get(tid);
        if (st != null) {
            return st;
        }
        StopReason r = s.stopReason(tid).orElse(null);
        return r != null ? new ThreadState(s.pid(), true, reasonOf(r), false, r)
                : new ThreadState(s.pid(), false, StateChangeReason.UNKNOWN, false, null);
    }

    /** Why the thread is stopped now (null if running): for the breakpoints service's hit list. */
    StopReason stopOf(ThreadContext t) {
        DebugSession s = backend.sessionOf(t);
        return s == null ? null : state(s, t.tid()).stop();
    }

    private DebugSession session(IExecutionDMContext ctx, RequestMonitor rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        return backend.live(p, rm);
    }

    @Override
    public boolean isSuspended(IExecutionDMContext ctx) {
        DebugSession s = backend.sessionOf(ctx);
        if (s == null || s.isEnded()) {
            return false;
        }
        if (ctx instanceof ThreadContext t) {
            return state(s, t.tid()).suspended();
        }
        // The process: suspended when every thread is (all-stop's normal state after a stop).
        List<Integer> threads = s.threads();
        return !threads.isEmpty() && threads.stream().allMatch(tid -> state(s, tid).suspended());
    }

    @Override
    public boolean isStepping(IExecutionDMContext ctx) {
        DebugSession s = backend.sessionOf(ctx);
        return s != null && ctx instanceof ThreadContext t && state(s, t.tid()).stepping();
    }

    @Override
    public void getExecutionData(IExecutionDMContext ctx, DataRequestMonitor<IExecutionDMData> rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        StateChangeReason reason = ctx instanceof ThreadContext t ? state(s, t.tid()).reason()
                : isSuspended(ctx) ? StateChangeReason.CONTAINER : StateChangeReason.UNKNOWN;
        StopReason stop = ctx instanceof ThreadContext t ? state(s, t.tid()).stop() : null;
        String details = stop == null || stop.detail().isEmpty() ? null
                : stop.kind() == StopReason.Kind.EVENT ? "Event breakpoint: " + stop.detail()
                : stop.kind() == StopReason.Kind.STEP ? "Step " + stop.detail() : null;
        rm.setData(new ExecutionData(reason, details));
        rm.done();
    }

    @Override
    public void getExecutionContexts(IContainerDMContext ctx, DataRequestMonitor<IExecutionDMContext[]> rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        rm.setData(s.threads().stream().map(tid -> backend.thread(s.pid(), tid)).toArray(IExecutionDMContext[]::new));
        rm.done();
    }

    // ------------------------------------------------------------------ commands

    @Override
    public void canResume(IExecutionDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(isSuspended(ctx) || ctx instanceof ProcessContext && anySuspended(ctx));
        rm.done();
    }

    private boolean anySuspended(IExecutionDMContext ctx) {
        DebugSession s = backend.sessionOf(ctx);
        return s != null && !s.isEnded() && s.threads().stream().anyMatch(tid -> state(s, tid).suspended());
    }

    @Override
    public void canSuspend(IExecutionDMContext ctx, DataRequestMonitor<Boolean> rm) {
        DebugSession s = backend.sessionOf(ctx);
        rm.setData(s != null && !s.isEnded() && !isSuspended(ctx));
        rm.done();
    }

    @Override
    public void resume(IExecutionDMContext ctx, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        try {
            if (ctx instanceof ThreadContext t) {
                if (!s.isHeld(t.tid())) {
                    fail(rm, INVALID_STATE, "thread " + t.tid() + " is not suspended");
                    return;
                }
                s.resume(t.tid());
            } else {
                s.resumeAll();
            }
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return;
        }
        rm.done();
    }

    @Override
    public void suspend(IExecutionDMContext ctx, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        try {
            if (ctx instanceof ThreadContext t) {
                s.suspend(t.tid());
            } else {
                s.suspendAll();
            }
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return;
        }
        rm.done();
    }

    @Override
    public void canStep(IExecutionDMContext ctx, StepType type, DataRequestMonitor<Boolean> rm) {
        ThreadContext t = steppedThread(ctx);
        rm.setData(t != null && isSuspended(t) && !isStepping(t));
        rm.done();
    }

    /**
     * The thread a step of {@code ctx} moves: the thread itself; for the process (the Debug view's process node
     * selected, or the selection falling back to it when the view refreshes), in all-stop mode, the thread that
     * stopped last, gdb's current thread, as DSF-GDB steps it. Null if there is none.
     */
    private ThreadContext steppedThread(IExecutionDMContext ctx) {
        if (ctx instanceof ThreadContext t) {
            return t;
        }
        DebugSession s = backend.sessionOf(ctx);
        Integer last = ctx instanceof ProcessContext p ? lastStopped.get(p.pid()) : null;
        if (!(ctx instanceof ProcessContext p) || s == null || s.isNonStop() || last == null || !states.containsKey(last)) {
            return null;
        }
        return new ThreadContext(p, last);
    }

    /** The suspended thread a step of {@code ctx} steps; null with {@code rm} failed if there is none. */
    private ThreadContext heldSteppedThread(DebugSession s, IExecutionDMContext ctx, RequestMonitor rm) {
        if (!(steppedThread(ctx) instanceof ThreadContext t) || !s.isHeld(t.tid())) {
            fail(rm, INVALID_STATE, "only a suspended thread steps");
            return null;
        }
        return t;
    }

    @Override
    public void step(IExecutionDMContext ctx, StepType type, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        ThreadContext t = s == null ? null : heldSteppedThread(s, ctx, rm);
        if (t == null) {
            return;
        }
        StepKind kind = switch (type) {
            case STEP_INTO -> StepKind.INTO;
            case STEP_OVER -> StepKind.OVER;
            case STEP_RETURN, INSTRUCTION_STEP_RETURN -> StepKind.RETURN;
            case INSTRUCTION_STEP_INTO -> StepKind.INSTRUCTION;
            case INSTRUCTION_STEP_OVER -> StepKind.INSTRUCTION_OVER;
        };
        try {
            s.step(t.tid(), kind);
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return;
        }
        rm.done();
    }

    // ------------------------------------------------------------------ step into selection (IRunControl3)

    /**
     * As DSF-GDB: wherever a step into may start (the line and function are checked by the step itself). CDT's
     * command asks with no file, line or function when it decides whether it is enabled.
     */
    @Override
    public void canStepIntoSelection(IExecutionDMContext ctx, String sourceFile, int lineNumber, IFunctionDeclaration selectedFunction,
            DataRequestMonitor<Boolean> rm) {
        canStep(ctx, StepType.STEP_INTO, rm);
    }

    /**
     * The session's step into selection into the declaration's function, by name: from the thread's line if that is
     * {@code sourceFile:lineNumber}, else after running to it. {@code skipBreakpoints} is not honoured (as in
     * {@link #runToLine}): a user breakpoint on the way ends the step there.
     */
    @Override
    public void stepIntoSelection(IExecutionDMContext ctx, String sourceFile, int lineNumber, boolean skipBreakpoints,
            IFunctionDeclaration selectedFunction, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        ThreadContext t = s == null ? null : heldSteppedThread(s, ctx, rm);
        if (t == null) {
            return;
        }
        if (selectedFunction == null || selectedFunction.getElementName() == null || selectedFunction.getElementName().isBlank()) {
            fail(rm, REQUEST_FAILED, "step into selection needs a function");
            return;
        }
        long[] at = lineAddresses(s, sourceFile, lineNumber);
        if (at.length == 0) {
            fail(rm, REQUEST_FAILED, "no code for " + sourceFile + ":" + lineNumber);
            return;
        }
        try {
            s.stepIntoSelection(t.tid(), selectedFunction.getElementName(), at);
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, "cannot step into " + selectedFunction.getElementName() + ": " + e.getMessage());
            return;
        }
        rm.done();
    }

    // ------------------------------------------------------------------ run to, move to (IRunControl2)

    /**
     * The held thread a run or move applies to: the context's thread, or for the process its first held
     * thread; null with {@code rm} failed if there is none.
     */
    private Integer heldThread(DebugSession s, IExecutionDMContext ctx, RequestMonitor rm) {
        if (ctx instanceof ThreadContext t) {
            if (s.isHeld(t.tid())) {
                return t.tid();
            }
            fail(rm, INVALID_STATE, "thread " + t.tid() + " is not suspended");
            return null;
        }
        var any = s.anyHeldThread();
        if (any.isPresent()) {
            return any.getAsInt();
        }
        fail(rm, INVALID_STATE, "no thread of process " + s.pid() + " is suspended");
        return null;
    }

    /**
     * The code addresses of {@code file:line}: as the editor names the file (a full path), else by its name
     * alone (the line table may name it by another path to the same file).
     */
    private static long[] lineAddresses(DebugSession s, String file, int line) {
        if (file == null || file.isEmpty() || line < 1) {
            return new long[0];
        }
        long[] at = s.symbols().addressesFor(file, line);
        if (at.length == 0) {
            int slash = file.replace('\\', '/').lastIndexOf('/');
            if (slash >= 0) {
                at = s.symbols().addressesFor(file.substring(slash + 1), line);
            }
        }
        return at;
    }

    private boolean canRunOrMove(IExecutionDMContext ctx) {
        DebugSession s = backend.sessionOf(ctx);
        return s != null && !s.isEnded() && (ctx instanceof ThreadContext ? isSuspended(ctx) : anySuspended(ctx));
    }

    @Override
    public void canRunToLine(IExecutionDMContext ctx, String file, int line, DataRequestMonitor<Boolean> rm) {
        DebugSession s = backend.sessionOf(ctx);
        rm.setData(canRunOrMove(ctx) && lineAddresses(s, file, line).length > 0);
        rm.done();
    }

    /** {@code skipBreakpoints} is not honoured: a user breakpoint on the way stops the run (and ends it). */
    @Override
    public void runToLine(IExecutionDMContext ctx, String file, int line, boolean skipBreakpoints, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        long[] at = lineAddresses(s, file, line);
        if (at.length == 0) {
            fail(rm, REQUEST_FAILED, "no code for " + file + ":" + line);
            return;
        }
        runTo(s, ctx, at, fileName(file) + ":" + line, rm);
    }

    @Override
    public void canRunToAddress(IExecutionDMContext ctx, IAddress address, DataRequestMonitor<Boolean> rm) {
        rm.setData(canRunOrMove(ctx) && address != null);
        rm.done();
    }

    @Override
    public void runToAddress(IExecutionDMContext ctx, IAddress address, boolean skipBreakpoints, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        long at = address.getValue().longValue();
        runTo(s, ctx, new long[] { at }, "0x" + Long.toHexString(at), rm);
    }

    private void runTo(DebugSession s, IExecutionDMContext ctx, long[] at, String label, RequestMonitor rm) {
        Integer tid = heldThread(s, ctx, rm);
        if (tid == null) {
            return;
        }
        try {
            s.runTo(tid, at, label);
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, "cannot run to " + label + ": " + e.getMessage());
            return;
        }
        rm.done();
    }

    @Override
    public void canMoveToLine(IExecutionDMContext ctx, String file, int line, boolean resume, DataRequestMonitor<Boolean> rm) {
        DebugSession s = backend.sessionOf(ctx);
        rm.setData(canRunOrMove(ctx) && lineAddresses(s, file, line).length > 0);
        rm.done();
    }

    /**
     * Sets the pc to the line's first address in the function the thread is in: a line of another function
     * is refused, since its frame is not there to run in (gdb asks before such a jump).
     */
    @Override
    public void moveToLine(IExecutionDMContext ctx, String file, int line, boolean resume, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        Integer tid = heldThread(s, ctx, rm);
        if (tid == null) {
            return;
        }
        long[] at = lineAddresses(s, file, line);
        if (at.length == 0) {
            fail(rm, REQUEST_FAILED, "no code for " + file + ":" + line);
            return;
        }
        long pc;
        try {
            pc = s.registers(tid).pc();
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return;
        }
        Optional<FunctionInfo> here = s.symbols().functionAt(pc);
        Long target = null;
        for (long a : at) {
            if (here.isPresent() && here.get().contains(a) && (target == null || Long.compareUnsigned(a, target) < 0)) {
                target = a;
            }
        }
        if (target == null) {
            fail(rm, REQUEST_FAILED, fileName(file) + ":" + line + " is not in " + here.map(FunctionInfo::name).orElse("the current function")
                    + ", where thread " + tid + " is: move to it only from its own function");
            return;
        }
        moveTo(s, tid, target, resume, rm);
    }

    @Override
    public void canMoveToAddress(IExecutionDMContext ctx, IAddress address, boolean resume, DataRequestMonitor<Boolean> rm) {
        rm.setData(canRunOrMove(ctx) && address != null);
        rm.done();
    }

    @Override
    public void moveToAddress(IExecutionDMContext ctx, IAddress address, boolean resume, RequestMonitor rm) {
        DebugSession s = session(ctx, rm);
        if (s == null) {
            return;
        }
        Integer tid = heldThread(s, ctx, rm);
        if (tid == null) {
            return;
        }
        moveTo(s, tid, address.getValue().longValue(), resume, rm);
    }

    private void moveTo(DebugSession s, int tid, long pc, boolean resume, RequestMonitor rm) {
        try {
            s.moveTo(tid, pc);
            if (resume) {
                s.resume(tid);
            }
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, "cannot move thread " + tid + " to 0x" + Long.toHexString(pc) + ": " + e.getMessage());
            return;
        }
        rm.done();
    }

    private static String fileName(String file) {
        int slash = file.replace('\\', '/').lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    private static void fail(RequestMonitor rm, int code, String message) {
        rm.setStatus(DebugSessionService.error(code, message));
        rm.done();
    }

    /** Why a thread is suspended; the details name an event breakpoint's event ({@code Event breakpoint: syscall openat}). */
    private record ExecutionData(StateChangeReason reason, String details) implements IExecutionDMData2 {
        @Override
        public StateChangeReason getStateChangeReason() {
            return reason;
        }

        @Override
        public String getDetails() {
            return details;
        }
    }

    // ------------------------------------------------------------------ the DSF events this service dispatches

    /** A thread stopped (for anything but a user breakpoint). */
    public static final class SuspendedEvent extends AbstractDMEvent<IExecutionDMContext> implements ISuspendedDMEvent {
        private final StateChangeReason reason;

        SuspendedEvent(IExecutionDMContext ctx, StateChangeReason reason) {
            super(ctx);
            this.reason = reason;
        }

        @Override
        public StateChangeReason getReason() {
            return reason;
        }
    }

    /** A thread stopped at a user breakpoint or watchpoint: which one, for the Debug view's label. */
    public static final class BreakpointHitEvent extends AbstractDMEvent<IExecutionDMContext>
            implements IBreakpointHitDMEvent {
        private final IBreakpointDMContext breakpoint;
        private final StateChangeReason reason;

        BreakpointHitEvent(IExecutionDMContext ctx, IBreakpointDMContext breakpoint, StateChangeReason reason) {
            super(ctx);
            this.breakpoint = breakpoint;
            this.reason = reason;
        }

        @Override
        public StateChangeReason getReason() {
            return reason;
        }

        @Override
        public IBreakpointDMContext[] getBreakpoints() {
            return new IBreakpointDMContext[] { breakpoint };
        }
    }

    public static final class ResumedEvent extends AbstractDMEvent<IExecutionDMContext> implements IResumedDMEvent {
        private final StateChangeReason reason;

        ResumedEvent(IExecutionDMContext ctx, StateChangeReason reason) {
            super(ctx);
            this.reason = reason;
        }

        @Override
        public StateChangeReason getReason() {
            return reason;
        }
    }

    public static final class StartedEvent extends AbstractDMEvent<IExecutionDMContext> implements IStartedDMEvent {
        StartedEvent(IExecutionDMContext ctx) {
            super(ctx);
        }
    }

    public static final class ExitedEvent extends AbstractDMEvent<IExecutionDMContext> implements IExitedDMEvent {
        ExitedEvent(IExecutionDMContext ctx) {
            super(ctx);
        }
    }
}
