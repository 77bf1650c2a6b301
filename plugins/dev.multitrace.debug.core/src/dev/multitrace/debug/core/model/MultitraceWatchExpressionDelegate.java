package dev.multitrace.debug.core.model;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.Expression;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IWatchExpressionDelegate;
import org.eclipse.debug.core.model.IWatchExpressionListener;
import org.eclipse.debug.core.model.IWatchExpressionResult;

/** Evaluates the Expressions view's watch expressions in the condition language, on the selected frame's thread. */
public class MultitraceWatchExpressionDelegate implements IWatchExpressionDelegate {

    @Override
    public void evaluateExpression(String expression, IDebugElement context, IWatchExpressionListener listener) {
        IValue value = null;
        String error = null;
        try {
            MultitraceThread t = context instanceof MultitraceStackFrame f ? f.thread()
                    : context instanceof MultitraceThread th ? th
                    : context.getDebugTarget() instanceof MultitraceDebugTarget tg ? tg.suspendedThread() : null;
            if (t == null) {
                error = "not a Multitrace context";
            } else {
                value = MultitraceValue.ofLong(t.getDebugTarget(), "long", Expression.parse(expression).evaluate(t.context()));
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
