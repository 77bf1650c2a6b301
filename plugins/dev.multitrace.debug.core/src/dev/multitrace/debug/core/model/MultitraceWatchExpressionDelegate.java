package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IWatchExpressionDelegate;
import org.eclipse.debug.core.model.IWatchExpressionListener;
import org.eclipse.debug.core.model.IWatchExpressionResult;

/**
 * Evaluates the Expressions view's watch expressions as C in the selected frame (the thread's innermost when a
 * thread or the target is selected): {@code p->next->count * 2}, {@code $rax}, casts, {@code arr@3}. Structs,
 * arrays and pointers expand as in the Variables view; a bad expression shows the evaluator's message.
 */
public class MultitraceWatchExpressionDelegate implements IWatchExpressionDelegate {

    @Override
    public void evaluateExpression(String expression, IDebugElement context, IWatchExpressionListener listener) {
        IValue value = null;
        String error = null;
        try {
            MultitraceThread t = context instanceof MultitraceStackFrame f ? f.thread()
                    : context instanceof MultitraceThread th ? th
                    : context.getDebugTarget() instanceof MultitraceDebugTarget tg ? tg.suspendedThread() : null;
            MultitraceStackFrame frame = context instanceof MultitraceStackFrame f ? f
                    : t != null && t.isSuspended() ? (MultitraceStackFrame) t.getTopStackFrame() : null;
            if (frame == null) {
                error = t == null ? "not a Multitrace context" : "thread " + t.tid() + " is running: suspend it first";
            } else {
                value = frame.evaluate(expression);
            }
        } catch (DebugException | RuntimeException e) {
            error = MultitraceDebug.describe(e);
        }
        IValue v = value;
        String[] errors = error == null ? new String[0] : new String[] {error};
        listener.watchEvaluationFinished(new IWatchExpressionResult() {
            @Override
            public IValue getValue() {
                return v;
            }

            @Override
            public boolean hasErrors() {
                return errors.length > 0;
            }

            @Override
            public String[] getErrorMessages() {
                return errors;
            }

            @Override
            public String getExpressionText() {
                return expression;
            }

            @Override
            public DebugException getException() {
                return null;
            }
        });
    }
}
