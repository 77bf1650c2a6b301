package dev.multitrace.dsf.ui;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.CoreDumpService;
import dev.multitrace.dsf.ThreadContext;
import dev.multitrace.session.DebugSession;

import java.util.Map;

import org.eclipse.cdt.dsf.concurrent.CountingRequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IProcesses;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.AbstractThreadVMNode;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.ILaunchVMConstants;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.AbstractDMVMProvider;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.IPropertiesUpdate;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.LabelAttribute;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.LabelColumnInfo;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.LabelImage;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.LabelText;
import org.eclipse.cdt.dsf.ui.viewmodel.properties.PropertiesBasedLabelProvider;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IElementLabelProvider;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;

/**
 * The threads of the debugged process in the Debug view (the base class lists them through IRunControl),
 * labelled as in the platform model: the name, then the session's state of the thread, which says why the
 * debugger holds it and which other engines hold it too ({@code breakpoint at loop.c:12; also held by
 * syscall tracer}), or what the service says when the debugger does not hold it. A core's thread: its id and the
 * signal its note records ({@code thread 1234 [signal SIGSEGV]}).
 */
@SuppressWarnings("restriction")
final class ThreadVMNode extends AbstractThreadVMNode {

    /** The session's state label of the thread (DebugSession.stateLabel). */
    static final String PROP_STATE = "dev.multitrace.state";

    ThreadVMNode(AbstractDMVMProvider provider, DsfSession session) {
        super(provider, session);
    }

    @Override
    protected IElementLabelProvider createLabelProvider() {
        PropertiesBasedLabelProvider provider = new PropertiesBasedLabelProvider();
        provider.setColumnInfo(PropertiesBasedLabelProvider.ID_COLUMN_NO_COLUMNS, new LabelColumnInfo(new LabelAttribute[] {
            new LabelText("{0} [{1}]", new String[] { PROP_NAME, PROP_STATE }) {
                @Override
                public boolean isEnabled(IStatus status, Map<String, Object> properties) {
                    return properties.get(PROP_NAME) != null && properties.get(PROP_STATE) != null;
                }
            },
            new LabelText("{0}", new String[] { PROP_NAME }),
            new LabelImage(DebugUITools.getImageDescriptor(IDebugUIConstants.IMG_OBJS_THREAD_RUNNING)) {
                {
                    setPropertyNames(new String[] { ILaunchVMConstants.PROP_IS_SUSPENDED });
                }

                @Override
                public boolean isEnabled(IStatus status, Map<String, Object> properties) {
                    return Boolean.FALSE.equals(properties.get(ILaunchVMConstants.PROP_IS_SUSPENDED));
                }
            },
            new LabelImage(DebugUITools.getImageDescriptor(IDebugUIConstants.IMG_OBJS_THREAD_SUSPENDED)),
        }));
        return provider;
    }

    /** The name and id (from IProcesses) and the session's state, then what the base class fills in. */
    @Override
    protected void updatePropertiesInSessionThread(IPropertiesUpdate[] updates) {
        DebugSessionService backend = getServicesTracker().getService(DebugSessionService.class);
        CoreDumpService core = getServicesTracker().getService(CoreDumpService.class);
        for (IPropertiesUpdate u : updates) {
            ThreadContext thread = u.getElement() instanceof IDMVMContext vmc
                    ? DMContexts.getAncestorOfType(vmc.getDMContext(), ThreadContext.class)
                    : null;
            DebugSession session = backend == null || thread == null ? null : backend.sessionOf(thread); // a fork child's own
            if (session != null && thread != null) {
                u.setProperty(PROP_STATE, session.isEnded() ? "exited" : session.stateLabel(thread.tid()));
            } else if (core != null && thread != null) {
                u.setProperty(PROP_STATE, core.stateLabel(thread));
            }
        }
        CountingRequestMonitor names = new CountingRequestMonitor(getExecutor(), null) {
            @Override
            protected void handleCompleted() {
                ThreadVMNode.super.updatePropertiesInSessionThread(updates);
            }
        };
        names.setDoneCount(Names.fill(getServicesTracker().getService(IProcesses.class), getExecutor(), updates, names));
    }

    @Override
    public String toString() {
        return "ThreadVMNode(" + getSession().getId() + ")";
    }
}
