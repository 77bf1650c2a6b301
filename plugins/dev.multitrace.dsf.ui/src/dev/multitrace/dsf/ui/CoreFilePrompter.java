package dev.multitrace.dsf.ui;

import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.FileDialog;
import org.eclipse.ui.PlatformUI;

/**
 * Asks the user for the core file of a postmortem launch whose configuration names none, in a file dialog as CDT's
 * gdb launch does. Answers the chosen path, or null when cancelled.
 */
public final class CoreFilePrompter implements IStatusHandler {

    @Override
    public Object handleStatus(IStatus status, Object source) {
        AtomicReference<String> chosen = new AtomicReference<>();
        Display display = PlatformUI.getWorkbench().getDisplay();
        display.syncExec(() -> {
            FileDialog dialog = new FileDialog(display.getActiveShell(), SWT.OPEN);
            dialog.setText("Select the Core File to Debug with Multitrace");
            chosen.set(dialog.open());
        });
        return chosen.get();
    }
}
