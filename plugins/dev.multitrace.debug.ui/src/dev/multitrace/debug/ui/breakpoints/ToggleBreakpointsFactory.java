package dev.multitrace.debug.ui.breakpoints;

import java.util.Set;

import org.eclipse.debug.ui.actions.IToggleBreakpointsTarget;
import org.eclipse.debug.ui.actions.IToggleBreakpointsTargetFactory;
import org.eclipse.jface.viewers.ISelection;
import org.eclipse.ui.IWorkbenchPart;

/** Offers Multitrace line breakpoints in text editors showing C/C++ sources (see {@link SourceFiles}). */
public final class ToggleBreakpointsFactory implements IToggleBreakpointsTargetFactory {

    public static final String ID = "dev.multitrace.debug.ui.toggleBreakpointsFactory";

    @Override
    public Set<String> getToggleTargets(IWorkbenchPart part, ISelection selection) {
        return SourceFiles.of(part) != null ? Set.of(ID) : Set.of();
    }

    @Override
    public String getDefaultToggleTarget(IWorkbenchPart part, ISelection selection) {
        return SourceFiles.of(part) != null ? ID : null;
    }

    @Override
    public IToggleBreakpointsTarget createToggleTarget(String targetID) {
        return ID.equals(targetID) ? new ToggleLineBreakpointsTarget() : null;
    }

    @Override
    public String getToggleTargetName(String targetID) {
        return "Multitrace Breakpoints";
    }

    @Override
    public String getToggleTargetDescription(String targetID) {
        return "Line breakpoints for programs debugged with Multitrace";
    }
}
