package dev.multitrace.dsf.ui;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.PlatformUI;

/**
 * Shows the user why an attach was refused (no such process, another tracer and which, ptrace_scope, credentials),
 * over the Debug Configurations dialog the workbench opens on the configuration of a failed launch.
 */
public final class AttachRefusalHandler implements IStatusHandler {

    static final String TITLE = "Cannot Attach to Process";

    @Override
    public Object handleStatus(IStatus status, Object source) {
        if (!PlatformUI.isWorkbenchRunning()) {
            return null;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        display.syncExec(() -> {
            Shell parent = source instanceof Window w && w.getShell() != null ? w.getShell() : display.getActiveShell();
            ErrorDialog.openError(parent, TITLE, "Multitrace did not attach to the process.", status);
        });
        return null;
    }
}
