package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.Expression;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * A variable of the Variables view: a frame's register ({@code $rip}, {@code $rsp}...) or a memory
 * expression the user added to the target ({@code *(int*)&counter}). Read-only: registers are
 * edited in the Registers view.
 */
public final class MultitraceVariable extends MultitraceDebugElement implements IVariable {

    private final String name;
    private final IValue value;

    MultitraceVariable(MultitraceStackFrame frame, String name, IValue value) {
        super(frame.getDebugTarget());
        this.name = name;
        this.value = value;
    }

    /** A memory expression evaluated on the frame's thread (errors become the value's text). */
    static MultitraceVariable ofExpression(MultitraceStackFrame frame, String expression) {
        IValue v;
        try {
            long x = Expression.parse(expression).evaluate(frame.thread().context());
            v = MultitraceValue.ofLong(frame.getDebugTarget(), "long", x);
        } catch (RuntimeException | DebugException e) {
            v = MultitraceValue.error(frame.getDebugTarget(), MultitraceDebug.describe(e));
        }
        return new MultitraceVariable(frame, expression, v);
    }

    @Override
    public IValue getValue() {
        return value;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getReferenceTypeName() throws DebugException {
        return value.getReferenceTypeName();
    }

    @Override
    public boolean hasValueChanged() {
        return false;
    }

    @Override
    public void setValue(String expression) throws DebugException {
        throw new DebugException(MultitraceDebug.error(name + " is read-only", null));
    }

    @Override
    public void setValue(IValue v) throws DebugException {
        setValue(v.getValueString());
    }

    @Override
    public boolean supportsValueModification() {
        return false;
    }

    @Override
    public boolean verifyValue(String expression) {
        return false;
    }

    @Override
    public boolean verifyValue(IValue v) {
        return false;
    }
}
