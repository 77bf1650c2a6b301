package dev.multitrace.dsf.ui;

import dev.multitrace.dsf.MultitraceProcesses;

import org.eclipse.cdt.dsf.concurrent.CountingRequestMonitor;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.AbstractThreadVMNode;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.AbstractDMVMProvider;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.IPropertiesUpdate;

/** The threads of the debugged process in the Debug view (the base class lists them through IRunControl). */
@SuppressWarnings("restriction")
final class ThreadVMNode extends AbstractThreadVMNode {

    ThreadVMNode(AbstractDMVMProvider provider, DsfSession session) {
        super(provider, session);
    }

    /** The name and id (from IProcesses), then the state the base class fills in. */
    @Override
    protected void updatePropertiesInSessionThread(IPropertiesUpdate[] updates) {
        CountingRequestMonitor names = new CountingRequestMonitor(getExecutor(), null) {
            @Override
            protected void handleCompleted() {
                ThreadVMNode.super.updatePropertiesInSessionThread(updates);
            }
        };
        names.setDoneCount(Names.fill(getServicesTracker().getService(MultitraceProcesses.class), getExecutor(), updates, names));
    }

    @Override
    public String toString() {
        return "ThreadVMNode(" + getSession().getId() + ")";
    }
}
