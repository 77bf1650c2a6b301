package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.session.Expression;
import dev.multitrace.session.FrameInfo;
import dev.multitrace.session.FrameVariables;
import dev.multitrace.session.SourcePosition;
import dev.multitrace.session.SourceValue;
import dev.multitrace.symbols.expr.ExpressionException;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * One frame of a suspended thread: function, file:line (source lookup uses {@link #getSourcePath()}),
 * its arguments and locals as C values (the session's {@link FrameVariables}), the registers (innermost frame,
 * in the Registers view), and the target's memory expressions as variables. Step and resume act on the thread.
 */
public final class MultitraceStackFrame extends MultitraceDebugElement implements IStackFrame {

    private final MultitraceThread thread;
    private final FrameInfo info;

    MultitraceStackFrame(MultitraceThread thread, FrameInfo info) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.info = info;
    }

    MultitraceThread thread() {
        return thread;
    }

    /** The unwound frame: level, pc, CFA, function, source position. */
    public FrameInfo info() {
        return info;
    }

    public long pc() {
        return info.pc();
    }

    /** The source file as the line table names it (usually absolute), or null without line information. */
    public String getSourcePath() {
        return info.source().filter(s -> s.line() > 0).map(SourcePosition::file).orElse(null);
    }

    /** The source file's name, for source lookup by name. */
    public String getSourceName() {
        return info.source().filter(s -> s.line() > 0).map(SourcePosition::fileName).orElse(null);
    }

    @Override
    public IThread getThread() {
        return thread;
    }

    /**
     * The frame's arguments then its locals (innermost block first), as C values; registers are in the
     * Registers view. Then the target's memory expressions.
     */
    @Override
    public IVariable[] getVariables() throws DebugException {
        List<IVariable> out = new ArrayList<>();
        if (thread.isSuspended()) {
            try {
                out.addAll(ServiceCalls.call(thread.target().session(), "Variables of " + getName(), () -> {
                    FrameVariables data = thread.variables(info.level());
                    List<IVariable> vars = new ArrayList<>();
                    for (SourceValue v : data.arguments()) {
                        vars.add(new MultitraceSourceVariable(thread, scopeKey(), v));
                    }
                    for (SourceValue v : data.locals()) {
                        vars.add(new MultitraceSourceVariable(thread, scopeKey(), v));
                    }
                    return vars;
                }));
            } catch (DebugException e) {
                out.add(new MultitraceVariable(this, "<variables>", MultitraceValue.error(getDebugTarget(), MultitraceDebug.describe(e))));
            }
        }
        for (String e : thread.target().memoryExpressions()) {
            out.add(MultitraceVariable.ofExpression(this, e));
        }
        return out.toArray(IVariable[]::new);
    }

    /** What names this frame's values across stops, for change highlighting: its function. */
    String scopeKey() {
        return info.functionName();
    }

    /**
     * The value of C expression {@code expression} in this frame (for watch expressions and the editor hover).
     * Where DWARF knows no name of it, the register-and-memory language of conditions is tried ({@code $rax},
     * {@code *(int*)&counter} with ELF symbols).
     *
     * @throws DebugException whose message is the evaluator's (what is wrong and at which column)
     */
    public IValue evaluate(String expression) throws DebugException {
        Object result = ServiceCalls.call(thread.target().session(), "Evaluate " + expression, () -> {
            try {
                return new MultitraceSourceValue(thread, scopeKey(), thread.variables(info.level()).evaluate(expression));
            } catch (ExpressionException e) {
                if (e.problem().startsWith("No symbol")) {
                    try {
                        long v = Expression.parse(expression).evaluate(thread.context());
                        return MultitraceValue.ofLong(getDebugTarget(), "long", v);
                    } catch (RuntimeException | DebugException notMachineLevel) {
                        // not that language either: the C error says what is wrong
                    }
                }
                return e.getMessage();
            }
        });
        if (result instanceof String problem) {
            throw new DebugException(MultitraceDebug.error(problem, null));
        }
        return (IValue) result;
    }

    @Override
    public boolean hasVariables() {
        return thread.isSuspended();
    }

    @Override
    public int getLineNumber() {
        return info.source().map(SourcePosition::line).filter(l -> l > 0).orElse(-1);
    }

    @Override
    public int getCharStart() {
        return -1;
    }

    @Override
    public int getCharEnd() {
        return -1;
    }

    /** {@code main() at loop.c:12}, or the pc where there is no line information. */
    @Override
    public String getName() {
        return info.label();
    }

    @Override
    public IRegisterGroup[] getRegisterGroups() {
        return info.level() == 0 ? MultitraceRegisterGroup.all(this).toArray(IRegisterGroup[]::new) : new IRegisterGroup[0];
    }

    @Override
    public boolean hasRegisterGroups() {
        return info.level() == 0;
    }

    @Override
    public boolean canStepInto() {
        return thread.canStepInto();
    }

    @Override
    public boolean canStepOver() {
        return thread.canStepOver();
    }

    @Override
    public boolean canStepReturn() {
        return thread.canStepReturn();
    }

    @Override
    public boolean isStepping() {
        return thread.isStepping();
    }

    @Override
    public void stepInto() throws DebugException {
        thread.stepInto();
    }

    @Override
    public void stepOver() throws DebugException {
        thread.stepOver();
    }

    @Override
    public void stepReturn() throws DebugException {
        thread.stepReturn();
    }

    @Override
    public boolean canResume() {
        return thread.canResume();
    }

    @Override
    public boolean canSuspend() {
        return thread.canSuspend();
    }

    @Override
    public boolean isSuspended() {
        return thread.isSuspended();
    }

    @Override
    public void resume() throws DebugException {
        thread.resume();
    }

    @Override
    public void suspend() throws DebugException {
        thread.suspend();
    }

    @Override
    public boolean canTerminate() {
        return thread.canTerminate();
    }

    @Override
    public boolean isTerminated() {
        return thread.isTerminated();
    }

    @Override
    public void terminate() throws DebugException {
        thread.terminate();
    }

    /** Frames are equal when they are the same level of the same thread at the same pc and CFA (the Debug view keeps its selection). */
    @Override
    public boolean equals(Object o) {
        return o instanceof MultitraceStackFrame f && f.thread == thread && f.info.level() == info.level()
                && f.info.pc() == info.pc() && f.info.cfa() == info.cfa();
    }

    @Override
    public int hashCode() {
        return thread.hashCode() * 31 + Long.hashCode(info.pc()) + info.level();
    }
}
