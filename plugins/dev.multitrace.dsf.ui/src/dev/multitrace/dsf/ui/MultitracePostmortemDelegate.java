package dev.multitrace.dsf.ui;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.debug.sourcelookup.DsfSourceLookupParticipant;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.variables.VariablesPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ILaunchConfigurationDelegate2;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;

/**
 * The Multitrace debugger of CDT's "C/C++ Postmortem Debugger" configurations: the core file of
 * {@code ATTR_COREFILE_PATH} read by the symbol layer, with the symbols of the files it maps (the program's path in
 * the Main tab is not needed: the core names its executable).
 */
public final class MultitracePostmortemDelegate extends LaunchConfigurationDelegate implements ILaunchConfigurationDelegate2 {

    @Override
    public ILaunch getLaunch(ILaunchConfiguration configuration, String mode) {
        return new PostmortemLaunch(configuration, mode, null);
    }

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        PostmortemLaunch l = (PostmortemLaunch) launch;
        String name = VariablesPlugin.getDefault().getStringVariableManager().performStringSubstitution(
                configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_COREFILE_PATH, "")).strip();
        if (name.isEmpty()) {
            throw new CoreException(SessionAdapters.error("the configuration names no core file ("
                    + ICDTLaunchConfigurationConstants.ATTR_COREFILE_PATH + ")", null));
        }
        Path core = Path.of(name);
        if (!Files.isReadable(core) || Files.isDirectory(core)) {
            throw new CoreException(SessionAdapters.error("cannot read core file " + core, null));
        }
        if (l.getSourceLocator() instanceof ISourceLookupDirector director) {
            director.addParticipants(new ISourceLookupParticipant[] { new DsfSourceLookupParticipant(l.getSession()) });
        }
        try {
            l.open(core);
        } catch (CoreException | RuntimeException e) {
            l.terminate();
            throw e;
        }
    }
}
