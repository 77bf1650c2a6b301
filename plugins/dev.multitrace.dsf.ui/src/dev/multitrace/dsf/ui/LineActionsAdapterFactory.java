package dev.multitrace.dsf.ui;

import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.internal.ui.actions.MoveToLine;
import org.eclipse.cdt.dsf.debug.internal.ui.actions.ResumeAtLine;
import org.eclipse.cdt.dsf.debug.internal.ui.actions.RunToLine;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IContainerDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.debug.core.model.IDebugModelProvider;
import org.eclipse.debug.core.model.ISuspendResume;

/**
 * Run to Line, Move to Line and Resume at Line (the C editor's and the Disassembly view's context menus) for
 * a thread of a Multitrace session. The platform's and CDT's actions adapt the selected debug context to
 * {@link ISuspendResume} and that to CDT's {@code IRunToLine}/{@code IMoveToLine}/{@code IResumeAtLine}; DSF's
 * implementations of those call {@code IRunControl2}, which {@code MultitraceRunControl} implements over the
 * session's run-to and move-to.
 * <p>
 * Registered for every DSF view-model element: elements of other DSF sessions (DSF-GDB's, which has its own
 * factory) get null here, and the adapter manager asks the next factory.
 */
@SuppressWarnings("restriction")
public final class LineActionsAdapterFactory implements IAdapterFactory {

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> type) {
        if (type != ISuspendResume.class || !(adaptable instanceof IDMVMContext vm)) {
            return null;
        }
        IDMContext dmc = vm.getDMContext();
        if (!isMultitrace(dmc)) {
            return null;
        }
        IExecutionDMContext thread = DMContexts.getAncestorOfType(dmc, IExecutionDMContext.class);
        // a line belongs to one thread's flow: a process (container) has none to run or move
        if (thread == null || thread instanceof IContainerDMContext) {
            return null;
        }
        return type.cast(new LineActions(thread));
    }

    private static boolean isMultitrace(IDMContext dmc) {
        DsfSession session = DsfSession.getSession(dmc.getSessionId());
        if (session == null) {
            return false;
        }
        Object models = session.getModelAdapter(IDebugModelProvider.class);
        if (!(models instanceof IDebugModelProvider p)) {
            return false;
        }
        for (String id : p.getModelIdentifiers()) {
            if (SessionAdapters.DEBUG_MODEL.equals(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] { ISuspendResume.class };
    }

    /**
     * The three line actions of one thread. Only the adapters matter: {@link #isSuspended()} is true because the
     * platform enables Run to Line only on a suspended context (DSF's actions check the thread itself).
     */
    private static final class LineActions implements ISuspendResume, IAdaptable {
        private final RunToLine runToLine;
        private final MoveToLine moveToLine;
        private final ResumeAtLine resumeAtLine;

        LineActions(IExecutionDMContext thread) {
            runToLine = new RunToLine(thread);
            moveToLine = new MoveToLine(thread);
            resumeAtLine = new ResumeAtLine(thread);
        }

        @Override
        public <T> T getAdapter(Class<T> adapter) {
            for (Object a : new Object[] { runToLine, moveToLine, resumeAtLine }) {
                if (adapter.isInstance(a)) {
                    return adapter.cast(a);
                }
            }
            return null;
        }

        @Override
        public boolean canResume() {
            return false;
        }

        @Override
        public boolean canSuspend() {
            return false;
        }

        @Override
        public boolean isSuspended() {
            return true;
        }

        @Override
        public void resume() {
        }

        @Override
        public void suspend() {
        }
    }
}
