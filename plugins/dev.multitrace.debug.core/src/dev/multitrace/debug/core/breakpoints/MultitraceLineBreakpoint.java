package dev.multitrace.debug.core.breakpoints;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.session.DebugSession;

import java.util.Map;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IResource;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IPath;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.LineBreakpoint;

/**
 * A line breakpoint in a C/C++ (or any) source file of the workspace, on marker type
 * {@link MultitraceDebug#LINE_BREAKPOINT_MARKER}. In a session it is planted at every address the
 * line table gives for the file's path (or, failing that, its name) and line; a line without code
 * moves to the next line that has some (up to {@link #MAX_LINE_SEARCH} lines on).
 */
public class MultitraceLineBreakpoint extends LineBreakpoint implements MultitraceBreakpoint {

    /** How far a breakpoint on a line without code looks for the next line with code. */
    public static final int MAX_LINE_SEARCH = 20;

    /** For the breakpoint manager, which restores persisted breakpoints with {@link #setMarker}. */
    public MultitraceLineBreakpoint() {
    }

    /**
     * Creates the breakpoint and its marker on {@code resource} at {@code line} (1-based) and,
     * with {@code register}, adds it to the breakpoint manager.
     */
    public MultitraceLineBreakpoint(IResource resource, int line, boolean register) throws CoreException {
        IWorkspaceRunnable create = monitor -> {
            IMarker marker = resource.createMarker(MultitraceDebug.LINE_BREAKPOINT_MARKER);
            setMarker(marker);
            marker.setAttributes(Map.of(org.eclipse.debug.core.model.IBreakpoint.ID, MultitraceDebug.MODEL_ID, IMarker.LINE_NUMBER, line,
                    org.eclipse.debug.core.model.IBreakpoint.ENABLED, Boolean.TRUE, IMarker.MESSAGE,
                    "Multitrace line breakpoint: " + resource.getName() + " [line: " + line + "]"));
        };
        run(getMarkerRule(resource), create);
        if (register) {
            DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
        }
    }


    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    @Override
    public Resolution resolve(DebugSession session) {
        IMarker m = getMarker();
        int line = m.getAttribute(IMarker.LINE_NUMBER, -1);
        IResource r = m.getResource();
        IPath location = r.getLocation();
        String name = r.getName();
        for (int l = line; l > 0 && l < line + MAX_LINE_SEARCH; l++) {
            long[] a = location != null ? session.symbols().addressesFor(location.toOSString(), l) : new long[0];
            if (a.length == 0) {
                a = session.symbols().addressesFor(name, l);
            }
            if (a.length > 0) {
                return new Resolution(firstPerFunction(session, a), name + ":" + l);
            }
        }
        return new Resolution(new long[0], name + ":" + line);
    }

    /**
     * One address per function, its lowest: a line holding a call has a second line-table row
     * after the call returns (same line, is_stmt), and planting there too would stop twice per
     * execution of the line (gdb also plants at the line's first address in each function).
     */
    static long[] firstPerFunction(DebugSession session, long[] addresses) {
        Map<Long, Long> lowestByFunction = new java.util.TreeMap<>();
        java.util.List<Long> outside = new java.util.ArrayList<>();
        for (long a : addresses) {
            var f = session.symbols().functionAt(a);
            if (f.isEmpty()) {
                outside.add(a);
            } else {
                lowestByFunction.merge(f.get().start(), a, (x, y) -> Long.compareUnsigned(x, y) <= 0 ? x : y);
            }
        }
        outside.addAll(lowestByFunction.values());
        return outside.stream().mapToLong(Long::longValue).sorted().toArray();
    }
}
