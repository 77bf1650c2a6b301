package dev.multitrace.debug.ui;

import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.IStatus;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.IStartup;
import org.eclipse.ui.PlatformUI;

import dev.multitrace.debug.core.ServiceCalls;

/**
 * Shows the user when the tracing service did not answer a call in time ({@link ServiceCalls}):
 * an error dialog naming the operation, and the Error Log entry, instead of a frozen IDE. One
 * dialog at a time: while it is open, further timeouts are only logged (a stuck tracer thread
 * fails every call to its session).
 * <p>
 * Installed by the workbench at start ({@code org.eclipse.ui.startup}), before any session exists.
 */
public final class ServiceTimeouts implements IStartup {

    /** The dialog's title, which tests look for. */
    public static final String TITLE = "Multitrace: the tracing service does not answer";

    private static final AtomicBoolean SHOWING = new AtomicBoolean();

    @Override
    public void earlyStartup() {
        install();
    }

    /** Makes {@link ServiceCalls} report here (idempotent). */
    public static void install() {
        ServiceCalls.setReporter(ServiceTimeouts::report);
    }

    private static void report(IStatus status) {
        MultitraceUi.log(status);
        if (!PlatformUI.isWorkbenchRunning()) {
            return;
        }
        Display display = PlatformUI.getWorkbench().getDisplay();
        if (display.isDisposed() || PlatformUI.getWorkbench().isClosing() || !SHOWING.compareAndSet(false, true)) {
            return;
        }
        // Later, from the event loop: the caller (perhaps the UI thread itself) goes on first.
        display.asyncExec(() -> {
            try {
                var window = PlatformUI.getWorkbench().getActiveWorkbenchWindow();
                Shell shell = window == null ? null : window.getShell();
                // A plain message dialog: ErrorDialog stays closed in automated (test) mode, and the message
                // says everything (the Error Log has the entry too).
                MessageDialog.openError(shell, TITLE, status.getMessage());
            } finally {
                SHOWING.set(false);
            }
        });
    }
}
