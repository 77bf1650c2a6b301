package dev.multitrace.debug.ui.breakpoints;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.multitrace.debug.core.breakpoints.MultitraceWatchpoint;
import dev.multitrace.debug.core.model.MultitraceSourceVariable;
import dev.multitrace.session.SourceSyntax;

/**
 * "Add Watchpoint...": a watchpoint on a C lvalue (gdb's {@code watch}), proposed from the variable selected in
 * the Variables view (its expression, {@code origin.x}) when there is one. The program stops after each write.
 */
public final class AddWatchpointHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        String proposal = "";
        if (HandlerUtil.getCurrentSelection(event) instanceof IStructuredSelection s
                && s.getFirstElement() instanceof MultitraceSourceVariable v && v.sourceValue().expression() != null) {
            proposal = v.sourceValue().expression();
        }
        InputDialog dialog = new InputDialog(shell, "Add Watchpoint",
                "C expression whose bytes to watch (a variable, p->count, chain[1].count); the program stops after each write:",
                proposal, AddWatchpointHandler::validate);
        if (dialog.open() == Window.OK) {
            try {
                create(dialog.getValue());
            } catch (CoreException e) {
                ErrorDialog.openError(shell, "Add Watchpoint", "The watchpoint was not created", e.getStatus());
            }
        }
        return null;
    }

    /** Creates and registers a write watchpoint on {@code expression}. */
    public static MultitraceWatchpoint create(String expression) throws CoreException {
        return new MultitraceWatchpoint(expression, false, true);
    }

    /** Null if {@code text} reads as C, else what is wrong with it and where. */
    static String validate(String text) {
        if (text.isBlank()) {
            return "Enter an expression.";
        }
        return SourceSyntax.problem(text);
    }
}
