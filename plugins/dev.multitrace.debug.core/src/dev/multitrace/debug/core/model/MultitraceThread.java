package dev.multitrace.debug.core.model;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.Signals;
import dev.multitrace.core.XState;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.EngineInfo;
import dev.multitrace.session.Expression;
import dev.multitrace.session.FrameInfo;
import dev.multitrace.session.FrameVariables;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;

/**
 * One thread of the traced process. Suspended means the debugger holds it; a thread that only
 * another engine holds is not suspended for the debugger (it cannot be examined through the
 * debugger's engine) and its name says who holds it.
 * <p>
 * What is read from a suspended thread (registers, FP area, frames) is cached until it resumes:
 * the caches are volatile and cleared by {@link #resumed} before the thread runs again.
 */
public final class MultitraceThread extends MultitraceDebugElement implements IThread {

    private final MultitraceDebugTarget target;
    private final int tid;
    private volatile GeneralRegisters registers;
    private volatile GeneralRegisters previousRegisters;
    private volatile byte[] fpArea;
    private volatile byte[] xstate;
    private volatile List<MultitraceStackFrame> frames;
    private volatile StepKind stepping;
    /** The source-level data of each frame looked at during this stop, by level. */
    private final Map<Integer, FrameVariables> variables = new ConcurrentHashMap<>();
    private final ValueHistory history = new ValueHistory();
    /**
     * Counts resumes and suspends. A cache filled from a stop may only be stored if no resume or
     * suspend happened while it was being computed: the Debug view asks for the frames of the
     * ENTRY stop while the launch already runs the thread on to main, and a late store would
     * otherwise keep the loader's frames for the stop at main.
     */
    private volatile int generation;

    MultitraceThread(MultitraceDebugTarget target, int tid) {
        super(target);
        this.target = target;
        this.tid = tid;
    }

    public int tid() {
        return tid;
    }

    MultitraceDebugTarget target() {
        return target;
    }

    private DebugSession session() {
        return target.session();
    }

    // ------------------------------------------------------------------ for views

    /** Why it is where it is: {@code breakpoint loop.c:27}, {@code step}, {@code signal SIGUSR1}, {@code held by syscall tracer}... */
    public String stateLabel() {
        return session().stateLabel(tid);
    }

    /** The reason the debugger holds it, or null when it does not. */
    public StopReason stopReason() {
        return session().stopReason(tid).orElse(null);
    }

    /** Every engine attached to this thread, the debugger's included (a snapshot: poll it, or refresh on DebugEvent.CHANGE). */
    public List<EngineInfo> getEngines() {
        return session().engines(tid);
    }

    // ------------------------------------------------------------------ cached examination

    GeneralRegisters registers() throws DebugException {
        GeneralRegisters r = registers;
        if (r == null) {
            int before = generation;
            try {
                r = session().registers(tid);
            } catch (RuntimeException e) {
                throw failure("registers of thread " + tid, e);
            }
            if (generation == before) {
                registers = r;
            }
        }
        return r;
    }

    /** The registers at the previous suspend (for the Registers view's change highlighting), or null. */
    GeneralRegisters previousRegisters() {
        return previousRegisters;
    }

    byte[] fpArea() throws DebugException {
        byte[] a = fpArea;
        if (a == null) {
            try {
                a = session().examine(tid).fpRegisters();
            } catch (RuntimeException e) {
                throw failure("FP registers of thread " + tid, e);
            }
            fpArea = a;
        }
        return a;
    }

    byte[] xstate() throws DebugException {
        byte[] a = xstate;
        if (a == null) {
            try {
                a = session().examine(tid).xstate();
            } catch (RuntimeException e) {
                a = new byte[0]; // no XSAVE on this CPU or kernel: no AVX state to show
            }
            xstate = a;
        }
        return a;
    }

    void writeRegister(String name, long value) throws DebugException {
        try {
            ServiceCalls.run(session(), "Set register " + name + " of thread " + tid, () -> GeneralRegisters.write(session().examine(tid), name, value));
        } catch (RuntimeException e) {
            throw failure("cannot set " + name, e);
        }
        registers = null;
        frames = null;
    }

    /** Replaces {@code bytes.length} bytes at {@code offset} of the fxsave area. */
    void writeFpArea(int offset, byte[] bytes) throws DebugException {
        try {
            ServiceCalls.run(session(), "Set FP/SSE registers of thread " + tid, () -> {
                var x = session().examine(tid);
                byte[] area = x.fpRegisters();
                System.arraycopy(bytes, 0, area, offset, bytes.length);
                x.setFpRegisters(area);
            });
        } catch (RuntimeException e) {
            throw failure("cannot set FP/SSE registers of thread " + tid, e);
        }
        fpArea = null;
        xstate = null;
    }

    /**
     * Replaces {@code bytes.length} bytes at {@code at} within XSAVE component {@code component};
     * the component is marked in use (a component in its initial state is zeroed first).
     */
    void writeXState(XState.Component component, int at, byte[] bytes) throws DebugException {
        if (!component.present()) {
            throw new DebugException(MultitraceDebug.error(component.absence(), null));
        }
        try {
            ServiceCalls.run(session(), "Set " + component.name() + " state of thread " + tid, () -> {
                var x = session().examine(tid);
                byte[] area = x.xstate();
                XState.write(area, component, at, bytes, 0, bytes.length);
                x.setXState(area);
            });
        } catch (RuntimeException e) {
            throw failure("cannot set " + component.name() + " state of thread " + tid, e);
        }
        fpArea = null;
        xstate = null;
    }

    /** An expression context over this suspended thread. */
    Expression.Context context() throws DebugException {
        try {
            return session().context(tid);
        } catch (RuntimeException e) {
            throw failure("thread " + tid, e);
        }
    }

    /**
     * The source-level data of frame {@code level} (0: innermost) at this stop. It waits for the service: call it
     * through {@link ServiceCalls} from views.
     */
    FrameVariables variables(int level) {
        int before = generation;
        FrameVariables v = variables.get(level);
        if (v == null || !v.isValid()) {
            v = session().variables(tid, level);
            if (generation == before) {
                variables.put(level, v);
            }
        }
        return v;
    }

    /** What source-level values showed at the previous stop, for change highlighting. */
    ValueHistory history() {
        return history;
    }

    /** The user wrote into the program (Change Value): views of this stop's data refresh. */
    void dataChanged() {
        variables.clear();
        List<MultitraceStackFrame> f = frames;
        if (f != null) {
            for (MultitraceStackFrame frame : f) {
                frame.fireChangeEvent(DebugEvent.CONTENT);
            }
        }
    }

    /** Called by the target when the debugger lets the thread go: nothing read before stays valid. */
    void resumed(StepKind step) {
        generation++;
        variables.clear();
        history.nextStop();
        GeneralRegisters r = registers;
        if (r != null) {
            previousRegisters = r;
        }
        registers = null;
        fpArea = null;
        xstate = null;
        frames = null;
        stepping = step;
    }

    void suspended() {
        generation++;
        variables.clear();
        stepping = null;
        frames = null;
    }

    // ------------------------------------------------------------------ IThread

    @Override
    public IStackFrame[] getStackFrames() throws DebugException {
        if (!isSuspended()) {
            return new IStackFrame[0];
        }
        List<MultitraceStackFrame> f = frames;
        if (f == null) {
            int before = generation;
            List<FrameInfo> infos;
            try {
                infos = session().frames(tid);
            } catch (RuntimeException e) {
                throw failure("stack of thread " + tid, e);
            }
            f = infos.stream().map(i -> new MultitraceStackFrame(this, i)).toList();
            if (generation == before) {
                frames = f;
            }
        }
        return f.toArray(IStackFrame[]::new);
    }

    @Override
    public boolean hasStackFrames() {
        return isSuspended();
    }

    @Override
    public int getPriority() {
        return 0;
    }

    @Override
    public IStackFrame getTopStackFrame() throws DebugException {
        IStackFrame[] f = getStackFrames();
        return f.length > 0 ? f[0] : null;
    }

    /** {@code Thread 4242 [breakpoint loop.c:27]}. */
    @Override
    public String getName() {
        return "Thread " + tid + " [" + stateLabel() + "]";
    }

    @Override
    public IBreakpoint[] getBreakpoints() {
        StopReason r = stopReason();
        if (r != null && r.breakpoint() instanceof IBreakpoint bp) {
            return new IBreakpoint[] {bp};
        }
        return new IBreakpoint[0];
    }

    @Override
    public boolean canResume() {
        return isSuspended();
    }

    @Override
    public boolean canSuspend() {
        return !isSuspended() && !isTerminated();
    }

    @Override
    public boolean isSuspended() {
        return !isTerminated() && session().isHeld(tid);
    }

    @Override
    public void resume() throws DebugException {
        try {
            ServiceCalls.run(session(), "Resume thread " + tid, () -> session().resume(tid));
        } catch (RuntimeException e) {
            throw failure("cannot resume thread " + tid, e);
        }
    }

    /** Resumes the thread with {@code signal} delivered to it (the service's signal injection). */
    public void resumeWithSignal(int signal) throws DebugException {
        try {
            ServiceCalls.run(session(), "Resume thread " + tid + " with " + Signals.name(signal), () -> session().resumeWithSignal(tid, signal));
        } catch (RuntimeException e) {
            throw failure("cannot resume thread " + tid + " with " + Signals.name(signal), e);
        }
    }

    @Override
    public void suspend() throws DebugException {
        try {
            ServiceCalls.run(session(), "Suspend thread " + tid, () -> session().suspend(tid));
        } catch (RuntimeException e) {
            throw failure("cannot suspend thread " + tid, e);
        }
    }

    @Override
    public boolean canStepInto() {
        return isSuspended();
    }

    @Override
    public boolean canStepOver() {
        return isSuspended();
    }

    @Override
    public boolean canStepReturn() {
        return isSuspended();
    }

    @Override
    public boolean isStepping() {
        return stepping != null;
    }

    @Override
    public void stepInto() throws DebugException {
        step(target.isInstructionStepping() ? StepKind.INSTRUCTION : StepKind.INTO);
    }

    @Override
    public void stepOver() throws DebugException {
        step(target.isInstructionStepping() ? StepKind.INSTRUCTION_OVER : StepKind.OVER);
    }

    @Override
    public void stepReturn() throws DebugException {
        step(StepKind.RETURN);
    }

    /** Starts a step of this suspended thread. */
    public void step(StepKind kind) throws DebugException {
        try {
            ServiceCalls.run(session(), "Step (" + kind + ") thread " + tid, () -> session().step(tid, kind));
        } catch (RuntimeException e) {
            throw failure("cannot step thread " + tid, e);
        }
    }

    @Override
    public boolean canTerminate() {
        return target.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return target.isTerminated() || !session().threads().contains(tid);
    }

    @Override
    public void terminate() throws DebugException {
        target.terminate();
    }

    void fire(int kind, int detail) {
        fireEvent(new DebugEvent(this, kind, detail));
    }

    @Override
    public String toString() {
        return getName();
    }
}
