package dev.multitrace.debug.ui.breakpoints;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.multitrace.debug.core.breakpoints.MultitraceFunctionBreakpoint;

/** "Add Function Breakpoint...": a breakpoint on a function by its symbol name (planted past its prologue). */
public final class AddFunctionBreakpointHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        InputDialog dialog = new InputDialog(shell, "Add Function Breakpoint",
                "Function name (an ELF symbol of the program or a library, e.g. main or printf):", "",
                AddFunctionBreakpointHandler::validate);
        if (dialog.open() == Window.OK) {
            try {
                new MultitraceFunctionBreakpoint(dialog.getValue().strip(), true);
            } catch (CoreException e) {
                ErrorDialog.openError(shell, "Add Function Breakpoint", "The breakpoint was not created", e.getStatus());
            }
        }
        return null;
    }

    /** A symbol name: no blanks, not empty (C++ names may hold ':' '<' '>' ','... so nothing more is checked). */
    static String validate(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "Enter a function name.";
        }
        if (t.chars().anyMatch(Character::isWhitespace)) {
            return "A function name has no blanks: '" + t + "'";
        }
        return null;
    }
}
