package dev.multitrace.dsf.ui;

import java.util.concurrent.Executor;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IProcesses;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IThreadDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IThreadDMData;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.ILaunchVMConstants;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.IElementPropertiesProvider;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.IPropertiesUpdate;

/** Fills the name and id of processes and threads in the Debug view from IProcesses (a live session's or a core's). */
@SuppressWarnings("restriction")
final class Names {

    private Names() {
    }

    /** Asks for each update's name and id; returns how many requests will complete {@code done}. */
    static int fill(IProcesses processes, Executor executor, IPropertiesUpdate[] updates, RequestMonitor done) {
        if (processes == null) {
            return 0;
        }
        int n = 0;
        for (IPropertiesUpdate u : updates) {
            IThreadDMContext t = u.getElement() instanceof IDMVMContext vmc
                    ? DMContexts.getAncestorOfType(vmc.getDMContext(), IThreadDMContext.class)
                    : null;
            if (t == null) {
                continue;
            }
            n++;
            processes.getExecutionData(t, new DataRequestMonitor<IThreadDMData>(executor, done) {
                @Override
                protected void handleCompleted() {
                    if (isSuccess()) {
                        u.setProperty(IElementPropertiesProvider.PROP_NAME, getData().getName());
                        u.setProperty(ILaunchVMConstants.PROP_ID, getData().getId());
                    }
                    done.done(); // a name that cannot be had leaves the label without it, not failed
                }
            });
        }
        return n;
    }
}
