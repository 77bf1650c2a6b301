package dev.multitrace.debug.core.breakpoints;

import dev.multitrace.core.WatchKind;
import dev.multitrace.debug.core.MultitraceDebug;

import java.util.Map;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.Breakpoint;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IWatchpoint;

/**
 * A watchpoint on a C lvalue ({@code chain[1].count}, {@code p->count}, a global): marker
 * {@link MultitraceDebug#WATCHPOINT_MARKER} on the workspace root, with the expression and whether reads stop
 * too. A session evaluates the expression in a stopped thread's innermost frame for its address and size (so a
 * local is watched where it is at that stop) and inserts it through the service's watchpoints.
 */
public class MultitraceWatchpoint extends Breakpoint implements IWatchpoint {

    /** String marker attribute: the C expression watched. */
    public static final String EXPRESSION = MultitraceDebug.PLUGIN_ID + ".expression";
    /** Boolean marker attribute: reads stop too (gdb's awatch); else only writes (watch). */
    public static final String ACCESS = MultitraceDebug.PLUGIN_ID + ".access";

    public MultitraceWatchpoint() {
    }

    public MultitraceWatchpoint(String expression, boolean access, boolean register) throws CoreException {
        var root = ResourcesPlugin.getWorkspace().getRoot();
        String text = expression.strip();
        IWorkspaceRunnable create = monitor -> {
            IMarker marker = root.createMarker(MultitraceDebug.WATCHPOINT_MARKER);
            setMarker(marker);
            marker.setAttributes(Map.of(IBreakpoint.ID, MultitraceDebug.MODEL_ID, EXPRESSION, text, ACCESS, access, IBreakpoint.ENABLED,
                    Boolean.TRUE, IMarker.MESSAGE, "Multitrace watchpoint: " + text));
        };
        run(getMarkerRule(root), create);
        if (register) {
            DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
        }
    }

    public String getExpression() {
        IMarker m = getMarker();
        return m == null ? "" : m.getAttribute(EXPRESSION, "");
    }

    /** What the service watches: writes, or reads and writes (x86 cannot watch reads alone). */
    public WatchKind kind() {
        return isAccess() ? WatchKind.READ_WRITE : WatchKind.WRITE;
    }

    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    @Override
    public boolean isAccess() {
        IMarker m = getMarker();
        return m != null && m.getAttribute(ACCESS, false);
    }

    @Override
    public void setAccess(boolean access) throws CoreException {
        getMarker().setAttribute(ACCESS, access);
    }

    /** Writes always stop. */
    @Override
    public boolean isModification() {
        return true;
    }

    @Override
    public void setModification(boolean modification) throws CoreException {
        if (!modification) {
            throw new CoreException(MultitraceDebug.error("a watchpoint stops at writes; reads can be added, writes not taken out", null));
        }
    }

    @Override
    public boolean supportsAccess() {
        return true;
    }

    @Override
    public boolean supportsModification() {
        return true;
    }
}
