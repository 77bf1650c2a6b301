package dev.multitrace.debug.ui.sourcelookup;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.sourcelookup.ISourceContainer;
import org.eclipse.debug.core.sourcelookup.ISourcePathComputerDelegate;
import org.eclipse.debug.core.sourcelookup.containers.WorkspaceSourceContainer;

/** The default source path: DWARF's absolute paths first, then the whole workspace by file name. */
public final class MultitraceSourcePathComputer implements ISourcePathComputerDelegate {

    public static final String ID = "dev.multitrace.debug.ui.sourcePathComputer";

    @Override
    public ISourceContainer[] computeSourceContainers(ILaunchConfiguration configuration, IProgressMonitor monitor) {
        return new ISourceContainer[] {new AbsolutePathSourceContainer(), new WorkspaceSourceContainer()};
    }
}
