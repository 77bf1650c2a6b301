package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IRunControl;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * Run control of a core file: every thread is suspended (the process died, or gcore stopped it, with the signal
 * its NT_PRSTATUS records), none can resume, suspend or step; asking to is refused with the reason.
 */
public final class CoreRunControl extends CoreService implements IRunControl {

    public CoreRunControl(DsfSession session) {
        super(session, IRunControl.class);
    }

    @Override
    public boolean isSuspended(IExecutionDMContext ctx) {
        return DMContexts.getAncestorOfType(ctx, ProcessContext.class) != null;
    }

    @Override
    public boolean isStepping(IExecutionDMContext ctx) {
        return false;
    }

    @Override
    public void getExecutionData(IExecutionDMContext ctx, DataRequestMonitor<IExecutionDMData> rm) {
        if (ctx instanceof ThreadContext t) {
            Integer thread = dump.thread(t, rm);
            if (thread == null) {
                return;
            }
            // a thread stopped by a signal: the one that killed the process, or gcore's SIGSTOP-like stop (0)
            rm.setData(dump.dump().signal(thread) != 0 ? () -> StateChangeReason.SIGNAL : () -> StateChangeReason.USER_REQUEST);
        } else {
            rm.setData(() -> StateChangeReason.CONTAINER);
        }
        rm.done();
    }

    @Override
    public void getExecutionContexts(IContainerDMContext ctx, DataRequestMonitor<IExecutionDMContext[]> rm) {
        rm.setData(dump.threads().toArray(IExecutionDMContext[]::new));
        rm.done();
    }

    @Override
    public void canResume(IExecutionDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void canSuspend(IExecutionDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void resume(IExecutionDMContext ctx, RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly("resume"));
        rm.done();
    }

    @Override
    public void suspend(IExecutionDMContext ctx, RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly("run, so there is nothing to suspend"));
        rm.done();
    }

    @Override
    public void canStep(IExecutionDMContext ctx, StepType type, DataRequestMonitor<Boolean> rm) {
        rm.setData(false);
        rm.done();
    }

    @Override
    public void step(IExecutionDMContext ctx, StepType type, RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly("step"));
        rm.done();
    }
}
