package dev.multitrace.debug.ui.attach;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.multitrace.core.HostProcess;
import dev.multitrace.debug.core.Attach;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.ui.MultitraceUi;

/**
 * "Attach to Process...": the dialog, then the attach in a job (attaching to many threads and
 * loading symbols takes time). A refusal is shown in an error dialog that says why (another
 * tracer and which, ptrace_scope, credentials), as the tracing service words it.
 */
public final class AttachHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Shell shell = HandlerUtil.getActiveShell(event);
        AttachDialog dialog = new AttachDialog(shell);
        if (dialog.open() == Window.OK && dialog.chosen() != null) {
            attach(dialog.chosen(), shell.getDisplay());
        }
        return null;
    }

    /** Attaches to {@code process} in a job; a failure opens an error dialog naming the reason. */
    public static Job attach(HostProcess process, Display display) {
        String what = process.name() + " (" + process.pid() + ")";
        Job job = new Job("Attaching to " + what) {
            @Override
            protected IStatus run(IProgressMonitor monitor) {
                try {
                    Attach.attach(process.pid(), monitor);
                    return Status.OK_STATUS;
                } catch (CoreException | RuntimeException e) {
                    String reason = e instanceof CoreException c ? c.getStatus().getMessage() : MultitraceDebug.describe(e);
                    MultitraceUi.log("attach to " + what + " refused", e);
                    display.asyncExec(() -> MessageDialog.openError(display.getActiveShell(), "Attach to Process",
                            "Cannot attach to " + what + ":\n\n" + reason));
                    return Status.OK_STATUS; // reported by the dialog above, not twice
                }
            }
        };
        job.setUser(true);
        job.schedule();
        return job;
    }
}
