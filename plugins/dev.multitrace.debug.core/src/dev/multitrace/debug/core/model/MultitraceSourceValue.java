package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.session.SourceValue;

import java.util.List;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * A source-level value for the Variables and Expressions views and the editor hover: a thin adapter over the
 * session's {@link SourceValue}. Its text is gdb's; its children (members, elements in ranges of 100, a
 * pointer's target) are read from the process only when the view expands it.
 */
public final class MultitraceSourceValue extends MultitraceDebugElement implements IValue {

    private final MultitraceThread thread;
    /** The key prefix of its children in the thread's value history: the frame's function. */
    private final String scopeKey;
    private final SourceValue value;
    private final String text;
    private volatile IVariable[] children;

    /** Made on a thread that may wait for the service (not the UI thread): the text is read here. */
    MultitraceSourceValue(MultitraceThread thread, String scopeKey, SourceValue value) {
        super(thread.getDebugTarget());
        this.thread = thread;
        this.scopeKey = scopeKey;
        this.value = value;
        this.text = value.text();
    }

    /** The session's value under this adapter. */
    public SourceValue sourceValue() {
        return value;
    }

    @Override
    public String getReferenceTypeName() {
        return value.typeName();
    }

    @Override
    public String getValueString() {
        return text;
    }

    @Override
    public boolean isAllocated() {
        return true;
    }

    @Override
    public IVariable[] getVariables() throws DebugException {
        IVariable[] c = children;
        if (c == null) {
            if (!thread.isSuspended()) {
                return new IVariable[0];
            }
            List<SourceValue> list = ServiceCalls.call(thread.target().session(), "Expand " + value.name(), value::children);
            c = ServiceCalls.call(thread.target().session(), "Read " + value.name(),
                    () -> list.stream().map(v -> new MultitraceSourceVariable(thread, scopeKey, v)).toArray(IVariable[]::new));
            children = c;
        }
        return c;
    }

    @Override
    public boolean hasVariables() {
        return value.hasChildren();
    }
}
