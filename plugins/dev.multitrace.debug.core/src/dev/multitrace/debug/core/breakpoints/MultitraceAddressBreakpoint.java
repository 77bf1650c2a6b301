package dev.multitrace.debug.core.breakpoints;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.DebugSession;

import java.util.Map;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.Breakpoint;
import org.eclipse.debug.core.model.IBreakpoint;

/**
 * A breakpoint at one run-time address (marker {@link MultitraceDebug#ADDRESS_BREAKPOINT_MARKER}
 * on the workspace root). The address is kept as hex text: marker attributes have no long type.
 */
public class MultitraceAddressBreakpoint extends Breakpoint implements MultitraceBreakpoint {

    /** String marker attribute: the address, {@code 0x...}. */
    public static final String ADDRESS = MultitraceDebug.PLUGIN_ID + ".address";

    public MultitraceAddressBreakpoint() {
    }

    public MultitraceAddressBreakpoint(long address, boolean register) throws CoreException {
        var root = ResourcesPlugin.getWorkspace().getRoot();
        String hex = "0x" + Long.toHexString(address);
        IWorkspaceRunnable create = monitor -> {
            IMarker marker = root.createMarker(MultitraceDebug.ADDRESS_BREAKPOINT_MARKER);
            setMarker(marker);
            marker.setAttributes(Map.of(IBreakpoint.ID, MultitraceDebug.MODEL_ID, ADDRESS, hex, IBreakpoint.ENABLED,
                    Boolean.TRUE, IMarker.MESSAGE, "Multitrace address breakpoint: " + hex));
        };
        run(getMarkerRule(root), create);
        if (register) {
            DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
        }
    }

    public long getAddress() {
        String s = getMarker().getAttribute(ADDRESS, "0x0");
        return Long.parseUnsignedLong(s.startsWith("0x") ? s.substring(2) : s, 16);
    }

    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    @Override
    public Resolution resolve(DebugSession session) {
        long a = getAddress();
        return new Resolution(a == 0 ? new long[0] : new long[] {a}, "0x" + Long.toHexString(a));
    }
}
