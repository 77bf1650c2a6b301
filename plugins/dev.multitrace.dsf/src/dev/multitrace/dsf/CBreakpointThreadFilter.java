package dev.multitrace.dsf;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.eclipse.cdt.debug.core.model.ICBreakpoint;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IDsfBreakpointExtension;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IContainerDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;

/**
 * CDT's thread filter of one breakpoint for Multitrace's debug model (contributed to
 * {@code org.eclipse.cdt.debug.core.BreakpointExtension}): which threads of which process it stops.
 * {@link ICBreakpoint#getExtension} makes one per breakpoint; it lives as long as the breakpoint object
 * (not saved with the marker, as DSF-GDB's). {@link CBreakpointTranslator} reads it when it plants the
 * breakpoint in a process.
 */
public final class CBreakpointThreadFilter implements IDsfBreakpointExtension {

    /** The debug model id the extension is contributed for. */
    public static final String DEBUG_MODEL_ID = "dev.multitrace.dsf";

    private final Map<IContainerDMContext, Set<IExecutionDMContext>> threads = new LinkedHashMap<>();

    @Override
    public synchronized void initialize(ICBreakpoint breakpoint) {
        // nothing is kept in the marker: a new breakpoint object starts without a filter
    }

    /** Limits the breakpoint to {@code process}'s threads (all of them until threads are set). */
    @Override
    public synchronized void setTargetFilter(IContainerDMContext process) {
        threads.computeIfAbsent(process, p -> new LinkedHashSet<>());
    }

    @Override
    public synchronized void removeTargetFilter(IContainerDMContext process) {
        threads.remove(process);
    }

    @Override
    public synchronized IContainerDMContext[] getTargetFilters() {
        return threads.keySet().toArray(IContainerDMContext[]::new);
    }

    /** The breakpoint stops only these threads (each in its own process's filter). */
    @Override
    public synchronized void setThreadFilters(IExecutionDMContext[] filter) {
        for (IExecutionDMContext t : filter) {
            IContainerDMContext process = DMContexts.getAncestorOfType(t, IContainerDMContext.class);
            if (process != null) {
                threads.computeIfAbsent(process, p -> new LinkedHashSet<>()).add(t);
            }
        }
    }

    @Override
    public synchronized void removeThreadFilters(IExecutionDMContext[] filter) {
        for (Set<IExecutionDMContext> set : threads.values()) {
            set.removeAll(Arrays.asList(filter));
        }
    }

    /** The threads of {@code process} the breakpoint stops; null when every thread. */
    @Override
    public synchronized IExecutionDMContext[] getThreadFilters(IContainerDMContext process) {
        Set<IExecutionDMContext> set = threads.get(process);
        return set == null || set.isEmpty() ? null : set.toArray(IExecutionDMContext[]::new);
    }
}
