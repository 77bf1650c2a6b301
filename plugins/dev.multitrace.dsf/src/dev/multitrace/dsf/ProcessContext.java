package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointsTargetDMContext;
import org.eclipse.cdt.dsf.debug.service.IDisassembly.IDisassemblyDMContext;
import org.eclipse.cdt.dsf.debug.service.IMemory.IMemoryDMContext;
import org.eclipse.cdt.dsf.debug.service.IModules.ISymbolDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IProcessDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IContainerDMContext;

/**
 * A process: the container of its threads for run control, the context its memory is read in and
 * its breakpoints are planted in (one address space, so one breakpoints target), whose code is
 * disassembled and whose modules are listed. The same class names
 * a process of the attach list that is not debugged yet.
 */
public final class ProcessContext extends AbstractDMContext
        implements IContainerDMContext, IProcessDMContext, IMemoryDMContext, IBreakpointsTargetDMContext,
        IDisassemblyDMContext, ISymbolDMContext {

    private final int pid;

    public ProcessContext(String sessionId, int pid) {
        super(sessionId, new IDMContext[0]);
        this.pid = pid;
    }

    public int pid() {
        return pid;
    }

    @Override
    public boolean equals(Object o) {
        return baseEquals(o) && ((ProcessContext) o).pid == pid;
    }

    @Override
    public int hashCode() {
        return baseHashCode() ^ pid;
    }

    @Override
    public String toString() {
        return baseToString() + ".process[" + pid + "]";
    }
}
