package dev.multitrace.debug.core.breakpoints;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FunctionInfo;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import org.eclipse.core.resources.IMarker;
import org.eclipse.core.resources.IWorkspaceRunnable;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.Breakpoint;
import org.eclipse.debug.core.model.IBreakpoint;

/**
 * A breakpoint on a function by name (an ELF symbol of the executable or a library), planted past
 * the function's prologue where it has line information (as gdb's {@code break NAME}), at its entry
 * otherwise. Its marker ({@link MultitraceDebug#FUNCTION_BREAKPOINT_MARKER}) lives on the workspace root.
 */
public class MultitraceFunctionBreakpoint extends Breakpoint implements MultitraceBreakpoint {

    /** String marker attribute: the function's name. */
    public static final String FUNCTION = MultitraceDebug.PLUGIN_ID + ".function";

    public MultitraceFunctionBreakpoint() {
    }

    public MultitraceFunctionBreakpoint(String function, boolean register) throws CoreException {
        if (function == null || function.isBlank()) {
            throw new CoreException(MultitraceDebug.error("a function breakpoint needs a function name", null));
        }
        var root = ResourcesPlugin.getWorkspace().getRoot();
        IWorkspaceRunnable create = monitor -> {
            IMarker marker = root.createMarker(MultitraceDebug.FUNCTION_BREAKPOINT_MARKER);
            setMarker(marker);
            marker.setAttributes(Map.of(IBreakpoint.ID, MultitraceDebug.MODEL_ID, FUNCTION, function.strip(),
                    IBreakpoint.ENABLED, Boolean.TRUE, IMarker.MESSAGE, "Multitrace function breakpoint: " + function.strip()));
        };
        run(getMarkerRule(root), create);
        if (register) {
            DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(this);
        }
    }

    public String getFunction() {
        return getMarker().getAttribute(FUNCTION, "");
    }

    @Override
    public String getModelIdentifier() {
        return MultitraceDebug.MODEL_ID;
    }

    @Override
    public Resolution resolve(DebugSession session) {
        String name = getFunction();
        OptionalLong a = session.symbols().addressOf(name);
        if (a.isEmpty()) {
            return new Resolution(new long[0], "function " + name);
        }
        Optional<FunctionInfo> f = session.symbols().functionAt(a.getAsLong());
        long at = f.map(session.symbols()::afterPrologue).orElse(a.getAsLong());
        return new Resolution(new long[] {at}, "function " + name);
    }
}
