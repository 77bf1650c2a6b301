package dev.multitrace.dsf.ui;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.dialogs.ElementListSelectionDialog;

/**
 * Asks the user which process an attach launch attaches to: the launch's attach list (its {@code IProcesses}
 * service's processes of /proc, with their names), filtered as one types. Answers the chosen pid, or null when
 * cancelled.
 */
public final class ProcessPrompter implements IStatusHandler {

    @Override
    public Object handleStatus(IStatus status, Object source) throws CoreException {
        if (!(source instanceof MultitraceLaunch launch)) {
            return null;
        }
        List<MultitraceLaunch.Candidate> candidates = launch.attachList();
        AtomicReference<Object> chosen = new AtomicReference<>();
        Display display = PlatformUI.getWorkbench().getDisplay();
        display.syncExec(() -> {
            ElementListSelectionDialog dialog = new ElementListSelectionDialog(display.getActiveShell(), new LabelProvider() {
                @Override
                public String getText(Object element) {
                    return element instanceof MultitraceLaunch.Candidate c ? c.name() + " (pid " + c.pid() + ")" : "";
                }
            });
            dialog.setTitle("Attach to Process");
            dialog.setMessage("The process to debug with Multitrace (type to filter by name or pid):");
            dialog.setElements(candidates.toArray());
            dialog.setMultipleSelection(false);
            if (dialog.open() == ElementListSelectionDialog.OK && dialog.getFirstResult() instanceof MultitraceLaunch.Candidate c) {
                chosen.set(c.pid());
            }
        });
        return chosen.get();
    }
}
