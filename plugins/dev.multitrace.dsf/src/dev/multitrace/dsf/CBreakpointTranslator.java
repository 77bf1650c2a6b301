package dev.multitrace.dsf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.cdt.debug.core.model.ICAddressBreakpoint;
import org.eclipse.cdt.debug.core.model.ICBreakpoint;
import org.eclipse.cdt.debug.core.model.ICBreakpointType;
import org.eclipse.cdt.debug.core.model.ICEventBreakpoint;
import org.eclipse.cdt.debug.core.model.ICFunctionBreakpoint;
import org.eclipse.cdt.debug.core.model.ICLineBreakpoint;
import org.eclipse.cdt.debug.core.model.ICWatchpoint;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2.BreakpointEventType;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2.ITargetBreakpointInfo;
import org.eclipse.cdt.dsf.debug.service.IBreakpointAttributeTranslator2;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointsTargetDMContext;
import org.eclipse.cdt.dsf.debug.service.IDsfBreakpointExtension;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IContainerDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.model.IBreakpoint;

/**
 * Makes CDT's breakpoints into {@link MultitraceBreakpoints}' attributes, for the
 * {@link BreakpointsMediator2}: a line breakpoint ({@link ICLineBreakpoint}: its source file and line), a
 * function breakpoint ({@link ICFunctionBreakpoint}), an address breakpoint ({@link ICAddressBreakpoint}),
 * each with its condition, ignore count, enablement and temporary type, and its thread filter
 * ({@link CBreakpointThreadFilter}) in the process it is planted in; a watchpoint ({@link ICWatchpoint}:
 * its expression, read and write); an event breakpoint ({@link ICEventBreakpoint}: the event types this
 * bundle's plugin.xml offers in the Breakpoints view's "Add Event Breakpoint" dialog, and those of CDT's gdb
 * that mean the same). One platform breakpoint is one target breakpoint; any change of it
 * re-plants it (the session's breakpoints are immutable).
 */
public final class CBreakpointTranslator implements IBreakpointAttributeTranslator2 {

    /** The event type ids of {@link ICEventBreakpoint}s (plugin.xml) as {@link MultitraceBreakpoints#EVENT}s. */
    static final Map<String, String> EVENT_TYPES = Map.ofEntries(Map.entry("dev.multitrace.dsf.event.signal", "signal"),
            Map.entry("dev.multitrace.dsf.event.syscall", "syscall"), Map.entry("dev.multitrace.dsf.event.exec", "exec"),
            Map.entry("dev.multitrace.dsf.event.threadStart", "threadStart"), Map.entry("dev.multitrace.dsf.event.threadExit", "threadExit"),
            Map.entry("dev.multitrace.dsf.event.fork", "fork"), Map.entry("dev.multitrace.dsf.event.vfork", "vfork"),
            // CDT's gdb catchpoints that are these events
            Map.entry("org.eclipse.cdt.debug.gdb.catch_syscall", "syscall"), Map.entry("org.eclipse.cdt.debug.gdb.catch_exec", "exec"),
            Map.entry("org.eclipse.cdt.debug.gdb.catch_fork", "fork"), Map.entry("org.eclipse.cdt.debug.gdb.catch_vfork", "vfork"));

    @Override
    public void initialize(BreakpointsMediator2 mediator) {
    }

    @Override
    public void dispose() {
    }

    @Override
    public boolean supportsBreakpoint(IBreakpoint bp) {
        // function and address breakpoints are line breakpoints too
        return bp instanceof ICLineBreakpoint || bp instanceof ICWatchpoint || bp instanceof ICEventBreakpoint;
    }

    /** Called off the executor (it reads markers): the target attributes of {@code bp}. */
    @Override
    public Map<String, Object> getAllBreakpointAttributes(IBreakpoint bp, boolean managerEnabled) throws CoreException {
        ICBreakpoint c = (ICBreakpoint) bp;
        Map<String, Object> a = new HashMap<>();
        if (c instanceof ICEventBreakpoint ev) {
            a.put(MultitraceBreakpoints.KIND, MultitraceBreakpoints.EVENT_KIND);
            a.put(MultitraceBreakpoints.EVENT, EVENT_TYPES.getOrDefault(ev.getEventType(), ev.getEventType()));
            String argument = ev.getEventArgument();
            a.put(MultitraceBreakpoints.EVENT_ARGUMENT, argument == null ? "" : argument);
        } else if (c instanceof ICWatchpoint w) {
            a.put(MultitraceBreakpoints.KIND, MultitraceBreakpoints.WATCHPOINT_KIND);
            a.put(MultitraceBreakpoints.EXPRESSION, w.getExpression());
            a.put(MultitraceBreakpoints.READ, w.isReadType());
            a.put(MultitraceBreakpoints.WRITE, w.isWriteType());
        } else if (c instanceof ICAddressBreakpoint) {
            a.put(MultitraceBreakpoints.KIND, MultitraceBreakpoints.ADDRESS_KIND);
            a.put(MultitraceBreakpoints.ADDRESS, ((ICAddressBreakpoint) c).getAddress());
        } else if (c instanceof ICFunctionBreakpoint f) {
            a.put(MultitraceBreakpoints.KIND, MultitraceBreakpoints.FUNCTION_KIND);
            a.put(MultitraceBreakpoints.FUNCTION, stripSignature(f.getFunction()));
        } else {
            ICLineBreakpoint l = (ICLineBreakpoint) c;
            a.put(MultitraceBreakpoints.KIND, MultitraceBreakpoints.LINE_KIND);
            String file = l.getSourceHandle();
            a.put(MultitraceBreakpoints.FILE, file == null || file.isEmpty() ? l.getFileName() : file);
            a.put(MultitraceBreakpoints.LINE, l.getLineNumber());
        }
        String condition = c.getCondition();
        if (condition != null && !condition.isBlank()) {
            a.put(MultitraceBreakpoints.CONDITION, condition);
        }
        a.put(MultitraceBreakpoints.IGNORE_COUNT, c.getIgnoreCount());
        a.put(MultitraceBreakpoints.ENABLED, c.isEnabled() && managerEnabled);
        int type = c instanceof ICBreakpointType t ? t.getType() : 0;
        a.put(MultitraceBreakpoints.TEMPORARY, (type & ICBreakpointType.TEMPORARY) != 0);
        return a;
    }

    /** CDT's function breakpoints may carry a signature ({@code compute(int)}): C symbols have none. */
    private static String stripSignature(String function) {
        int paren = function == null ? -1 : function.indexOf('(');
        return paren < 0 ? function : function.substring(0, paren).strip();
    }

    /** The attributes for one process: the breakpoint's thread filter there, if it has one, is added. */
    @Override
    public void resolveBreakpoint(IBreakpointsTargetDMContext context, IBreakpoint breakpoint,
            Map<String, Object> attributes, DataRequestMonitor<List<Map<String, Object>>> rm) {
        IContainerDMContext process = DMContexts.getAncestorOfType(context, IContainerDMContext.class);
        IExecutionDMContext[] filter = null;
        if (process != null && breakpoint instanceof ICBreakpoint c) {
            try {
                filter = c.getExtension(CBreakpointThreadFilter.DEBUG_MODEL_ID, IDsfBreakpointExtension.class)
                        .getThreadFilters(process);
            } catch (CoreException e) {
                // no filter contributed for this breakpoint's marker type: it stops every thread
            }
        }
        if (filter == null) {
            rm.setData(List.of(attributes));
        } else {
            List<Integer> tids = new ArrayList<>();
            for (IExecutionDMContext t : filter) {
                if (t instanceof ThreadContext thread) {
                    tids.add(thread.tid());
                }
            }
            Map<String, Object> filtered = new HashMap<>(attributes);
            filtered.put(MultitraceBreakpoints.THREADS, tids);
            rm.setData(List.of(filtered));
        }
        rm.done();
    }

    /** Platform attribute names to target ones (the mediator asks this for enablement changes). */
    @Override
    public Map<String, Object> convertAttributes(Map<String, Object> platformAttributes) {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, Object> e : platformAttributes.entrySet()) {
            String key = switch (e.getKey()) {
                case IBreakpoint.ENABLED -> MultitraceBreakpoints.ENABLED;
                case ICBreakpoint.CONDITION -> MultitraceBreakpoints.CONDITION;
                case ICBreakpoint.IGNORE_COUNT -> MultitraceBreakpoints.IGNORE_COUNT;
                default -> e.getKey().startsWith("multitrace.") ? e.getKey() : null;
            };
            if (key != null) {
                out.put(key, e.getValue());
            }
        }
        return out;
    }

    /**
     * False: every change re-plants the target breakpoint, and a disabled one is not planted at all (the
     * mediator plants it when it is enabled).
     */
    @Override
    public boolean canUpdateAttributes(IBreakpoint bp, IBreakpointsTargetDMContext context,
            Map<String, Object> attributes) {
        return false;
    }

    /** The install count CDT's Breakpoints view shows as the "installed" check. */
    @Override
    public void updateBreakpointsStatus(
            Map<IBreakpoint, Map<IBreakpointsTargetDMContext, ITargetBreakpointInfo[]>> breakpoints,
            BreakpointEventType type) {
        for (Map.Entry<IBreakpoint, Map<IBreakpointsTargetDMContext, ITargetBreakpointInfo[]>> e : breakpoints.entrySet()) {
            if (!(e.getKey() instanceof ICBreakpoint c)) {
                continue;
            }
            for (ITargetBreakpointInfo[] infos : e.getValue().values()) {
                for (ITargetBreakpointInfo info : infos) {
                    try {
                        if (type == BreakpointEventType.ADDED && info.getTargetBreakpoint() != null) {
                            c.incrementInstallCount();
                        } else if (type == BreakpointEventType.REMOVED && info.getStatus() != null
                                && info.getStatus().isOK()) {
                            c.decrementInstallCount();
                        }
                    } catch (CoreException ex) {
                        // the marker is gone with its breakpoint: nothing to show
                    }
                }
            }
        }
    }
}
