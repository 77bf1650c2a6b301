package dev.multitrace.debug.ui.signals;

import org.eclipse.core.commands.AbstractHandler;
import org.eclipse.core.commands.ExecutionEvent;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.jface.viewers.IStructuredSelection;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.ui.handlers.HandlerUtil;

import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.DebugContexts.Ref;

/** "Resume with Signal...": asks for a signal and resumes the selected stopped thread delivering it. */
public final class ResumeWithSignalHandler extends AbstractHandler {

    @Override
    public Object execute(ExecutionEvent event) {
        Ref ref = selectedStoppedThread(event);
        Shell shell = HandlerUtil.getActiveShell(event);
        if (ref == null) {
            MessageDialog.openInformation(shell, "Resume with Signal",
                    "Select a stopped thread of a Multitrace session in the Debug view first.");
            return null;
        }
        SignalChooserDialog dialog = new SignalChooserDialog(shell, "thread " + ref.tid());
        if (dialog.open() == Window.OK) {
            resume(ref, dialog.chosen());
        }
        return null;
    }

    /** Resumes in a job: the request may wait for the tracer thread. */
    public static Job resume(Ref ref, int signal) {
        Job job = Job.create("Resume thread " + ref.tid() + " with signal " + signal, monitor -> {
            try {
                ref.thread().resumeWithSignal(signal);
                return Status.OK_STATUS;
            } catch (DebugException e) {
                return e.getStatus();
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }

    private static Ref selectedStoppedThread(ExecutionEvent event) {
        ISelection selection = DebugUITools.getDebugContextManager()
                .getContextService(HandlerUtil.getActiveWorkbenchWindow(event)).getActiveContext();
        Object element = selection instanceof IStructuredSelection s ? s.getFirstElement() : null;
        Ref ref = DebugContexts.resolve(element);
        if (ref == null || ref.thread() == null || !ref.thread().isSuspended()) {
            return null;
        }
        return ref;
    }
}
