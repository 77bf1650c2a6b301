package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IThreadDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;

/** A thread of a debugged process: what run control resumes, suspends and steps, and where stacks start. */
public final class ThreadContext extends AbstractDMContext implements IExecutionDMContext, IThreadDMContext {

    private final int tid;

    public ThreadContext(ProcessContext process, int tid) {
        super(process.getSessionId(), new IDMContext[] { process });
        this.tid = tid;
    }

    public int tid() {
        return tid;
    }

    public ProcessContext process() {
        return (ProcessContext) getParents()[0];
    }

    @Override
    public boolean equals(Object o) {
        return baseEquals(o) && ((ThreadContext) o).tid == tid;
    }

    @Override
    public int hashCode() {
        return baseHashCode() ^ tid;
    }

    @Override
    public String toString() {
        return baseToString() + ".thread[" + tid + "]";
    }
}
