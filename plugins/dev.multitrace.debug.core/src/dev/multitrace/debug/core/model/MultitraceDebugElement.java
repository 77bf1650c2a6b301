package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.DebugElement;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IDisconnect;

/**
 * The common base of the Multitrace debug elements: the model id and error conversion, and
 * Disconnect for every element of a process.
 */
public abstract class MultitraceDebugElement extends DebugElement implements IDisconnect {

    protected MultitraceDebugElement(IDebugTarget target) {
        super(target);
    }

    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    /*
     * The platform enables its Disconnect command only for a selected element that is an
     * IDisconnect: threads and stack frames (what the Debug view has selected while a program is
     * suspended) disconnect their process, as JDT's elements do. The target overrides these.
     */

    @Override
    public boolean canDisconnect() {
        return getDebugTarget().canDisconnect();
    }

    @Override
    public void disconnect() throws DebugException {
        getDebugTarget().disconnect();
    }

    @Override
    public boolean isDisconnected() {
        return getDebugTarget().isDisconnected();
    }

    /** Turns a failure of the layers below into a DebugException that keeps its message. */
    static DebugException failure(String what, RuntimeException e) {
        return new DebugException(MultitraceDebug.error(what + ": " + MultitraceDebug.describe(e), e));
    }
}
