package dev.multitrace.debug.ui.breakpoints;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.dialogs.InputDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.multitrace.debug.core.breakpoints.MultitraceAddressBreakpoint;

/** "Add Address Breakpoint...": a breakpoint at a run-time instruction address. */
public final class AddAddressBreakpointHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        InputDialog dialog = new InputDialog(shell, "Add Address Breakpoint",
                "Instruction address (hexadecimal 0x401136, or decimal):", "0x", text -> parse(text) < 0
                        ? "Not an address: '" + text.strip() + "' (hexadecimal with 0x, or decimal)" : null);
        if (dialog.open() == Window.OK) {
            try {
                new MultitraceAddressBreakpoint(parse(dialog.getValue()), true);
            } catch (CoreException e) {
                ErrorDialog.openError(shell, "Add Address Breakpoint", "The breakpoint was not created", e.getStatus());
            }
        }
        return null;
    }

    /** The address in {@code text} (0x... hexadecimal or decimal, up to 2^63-1); -1 if it is not one. */
    static long parse(String text) {
        String t = text.strip().replace("_", "");
        try {
            long v = t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            return v > 0 ? v : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
