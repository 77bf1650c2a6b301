package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;

/** The common base of the Multitrace debug elements: the model id and error conversion. */
public abstract class MultitraceDebugElement extends DebugElement {

    protected MultitraceDebugElement(IDebugTarget target) {
        super(target);
    }

    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    /** Turns a failure of the layers below into a DebugException that keeps its message. */
    static DebugException failure(String what, RuntimeException e) {
        return new DebugException(MultitraceDebug.error(what + ": " + MultitraceDebug.describe(e), e));
    }
}
