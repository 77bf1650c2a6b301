package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.session.SourceValue;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * An argument, local, member, element or pointer target in the Variables view: a thin adapter over the
 * session's {@link SourceValue}. It is highlighted when its text differs from the previous stop's, and
 * Change Value assigns a C expression to it in the program (as gdb's {@code set var}).
 */
public final class MultitraceSourceVariable extends MultitraceDebugElement implements IVariable {

    private final MultitraceThread thread;
    private final String scopeKey;
    private final SourceValue source;
    private final MultitraceSourceValue value;
    private final boolean changed;

    /** Made on a thread that may wait for the service: the value's text is read here. */
    MultitraceSourceVariable(MultitraceThread thread, String scopeKey, SourceValue source) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.scopeKey = scopeKey;
        this.source = source;
        this.value = new MultitraceSourceValue(thread, scopeKey, source);
        this.changed = !source.isRange() && source.expression() != null && thread.history().record(key(), value.getValueString());
    }

    private String key() {
        return scopeKey + "|" + source.expression();
    }

    /** The session's value under this adapter. */
    public SourceValue sourceValue() {
        return source;
    }

    @Override
    public IValue getValue() {
        return value;
    }

    @Override
    public String getName() {
        return source.name();
    }

    @Override
    public String getReferenceTypeName() {
        return source.typeName();
    }

    @Override
    public boolean hasValueChanged() {
        return changed;
    }

    @Override
    public void setValue(String expression) throws DebugException {
        if (!supportsValueModification()) {
            throw new DebugException(MultitraceDebug.error(source.name() + " cannot be assigned", null));
        }
        try {
            ServiceCalls.call(thread.target().session(), "Set " + source.expression(), () -> source.assign(expression));
        } catch (DebugException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure("cannot set " + source.expression(), e);
        }
        thread.history().forget(key());
        thread.dataChanged();
        fireChangeEvent(DebugEvent.CONTENT);
    }

    @Override
    public void setValue(IValue v) throws DebugException {
        setValue(v.getValueString());
    }

    @Override
    public boolean supportsValueModification() {
        return source.expression() != null && !source.isRange() && thread.isSuspended();
    }

    /** Any C expression may be the new value; it is checked by evaluating it when set. */
    @Override
    public boolean verifyValue(String expression) {
        return expression != null && !expression.isBlank();
    }

    @Override
    public boolean verifyValue(IValue v) {
        return true;
    }
}
