package dev.multitrace.debug.ui.breakpoints;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.jface.text.ITextSelection;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.ui.IWorkbenchPart;

import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.debug.ui.breakpoints.SourceFiles.Source;

/**
 * Toggles a Multitrace line breakpoint on the selected line of a C/C++ source in a text editor
 * (the ruler's double-click and "Toggle Breakpoint" come here through the platform's
 * RulerToggleBreakpointActionDelegate). Method and watchpoint breakpoints do not apply.
 */
public final class ToggleLineBreakpointsTarget implements IToggleBreakpointsTarget {

    @Override
    public void toggleLineBreakpoints(IWorkbenchPart part, ISelection selection) throws CoreException {
        Source source = SourceFiles.of(part);
        if (source == null || !(selection instanceof ITextSelection text)) {
            return;
        }
        int line = text.getStartLine() + 1;
        IBreakpoint existing = find(source, line);
        if (existing != null) {
            existing.delete();
        } else {
            new MultitraceLineBreakpoint(source.markerResource(), source.path(), line, true);
        }
    }

    /** The Multitrace line breakpoint on {@code line} of {@code source} (same file path), or null. */
    static IBreakpoint find(Source source, int line) throws CoreException {
        for (IBreakpoint bp : DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID)) {
            if (bp instanceof MultitraceLineBreakpoint lb && bp.getMarker() != null && lb.getLineNumber() == line
                    && (source.path().equals(lb.getSourcePath())
                            || source.file() != null && source.file().equals(bp.getMarker().getResource()))) {
                return bp;
            }
        }
        return null;
    }

    @Override
    public boolean canToggleLineBreakpoints(IWorkbenchPart part, ISelection selection) {
        return SourceFiles.of(part) != null && selection instanceof ITextSelection;
    }

    @Override
    public void toggleMethodBreakpoints(IWorkbenchPart part, ISelection selection) {
        // function breakpoints are created by name (Run > Add Function Breakpoint...), not from a selection
    }

    @Override
    public boolean canToggleMethodBreakpoints(IWorkbenchPart part, ISelection selection) {
        return false;
    }

    @Override
    public void toggleWatchpoints(IWorkbenchPart part, ISelection selection) {
        // no watchpoints in this model
    }

    @Override
    public boolean canToggleWatchpoints(IWorkbenchPart part, ISelection selection) {
        return false;
    }
}
