package dev.multitrace.dsf.ui;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.CountingRequestMonitor;
import org.eclipse.cdt.dsf.debug.service.IProcesses;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.AbstractContainerVMNode;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.AbstractDMVMProvider;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.IPropertiesUpdate;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IChildrenUpdate;

/** The debugged process in the Debug view (a live one, or a core's), named by its command and pid. */
@SuppressWarnings("restriction")
final class ProcessVMNode extends AbstractContainerVMNode {

    ProcessVMNode(AbstractDMVMProvider provider, DsfSession session) {
        super(provider, session);
    }

    @Override
    protected void updateElementsInSessionThread(IChildrenUpdate update) {
        IProcesses processes = getServicesTracker().getService(IProcesses.class);
        if (processes == null) {
            handleFailedUpdate(update);
            return;
        }
        processes.getProcessesBeingDebugged(null, new DataRequestMonitor<>(getExecutor(), null) {
            @Override
            protected void handleCompleted() {
                if (isSuccess()) {
                    fillUpdateWithVMCs(update, getData());
                }
                update.done();
            }
        });
    }

    /** The name and id (from IProcesses), then the state the base class fills in. */
    @Override
    protected void updatePropertiesInSessionThread(IPropertiesUpdate[] updates) {
        CountingRequestMonitor names = new CountingRequestMonitor(getExecutor(), null) {
            @Override
            protected void handleCompleted() {
                ProcessVMNode.super.updatePropertiesInSessionThread(updates);
            }
        };
        names.setDoneCount(Names.fill(getServicesTracker().getService(IProcesses.class), getExecutor(), updates, names));
    }

    @Override
    public String toString() {
        return "ProcessVMNode(" + getSession().getId() + ")";
    }
}
