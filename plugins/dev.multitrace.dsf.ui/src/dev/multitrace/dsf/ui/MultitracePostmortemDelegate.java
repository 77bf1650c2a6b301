package dev.multitrace.dsf.ui;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.debug.sourcelookup.DsfSourceLookupParticipant;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Platform;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.variables.VariablesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ILaunchConfigurationDelegate2;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;
import org.eclipse.ui.PlatformUI;
import org.osgi.framework.Bundle;

/**
 * The Multitrace debugger of CDT's "C/C++ Postmortem Debugger" configurations: the core file of
 * {@code ATTR_COREFILE_PATH} (if it names none, the one the user picks: {@link CoreFilePrompter}) read by the symbol
 * layer, with the symbols of the files it maps (the program's path in the Main tab is not needed: the core names its
 * executable).
 */
public final class MultitracePostmortemDelegate extends LaunchConfigurationDelegate implements ILaunchConfigurationDelegate2 {

    /** The status a launch raises to have the user choose the core file; {@link CoreFilePrompter} handles it. */
    static final IStatus CHOOSE_CORE = new Status(IStatus.INFO, MultitraceDsfUiPlugin.PLUGIN_ID, 202, "choose a core file", null);

    @Override
    public ILaunch getLaunch(ILaunchConfiguration configuration, String mode) {
        return new PostmortemLaunch(configuration, mode, null);
    }

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        PostmortemLaunch l = (PostmortemLaunch) launch;
        try {
            String name = VariablesPlugin.getDefault().getStringVariableManager().performStringSubstitution(
                    configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_COREFILE_PATH, "")).strip();
            if (name.isEmpty()) {
                name = choose();
            }
            Path core = Path.of(name);
            if (!Files.isReadable(core) || Files.isDirectory(core)) {
                throw new CoreException(SessionAdapters.error("cannot read core file " + core, null));
            }
            if (l.getSourceLocator() instanceof ISourceLookupDirector director) {
                director.addParticipants(new ISourceLookupParticipant[] { new DsfSourceLookupParticipant(l.getSession()) });
            }
            l.open(core);
            l.useSourceLookupDirector();
        } catch (CoreException | RuntimeException e) {
            l.terminate(); // the DSF session and its executor go with a launch that did not start
            throw e;
        }
    }

    /**
     * The core file the user picks in a workbench (cancelling ends the launch quietly); without a workbench, a clear
     * error instead of a dialog nobody can answer.
     */
    private static String choose() throws CoreException {
        IStatusHandler prompter = workbenchRunning() ? DebugPlugin.getDefault().getStatusHandler(CHOOSE_CORE) : null;
        if (prompter == null) {
            throw new CoreException(SessionAdapters.error("the configuration names no core file ("
                    + ICDTLaunchConfigurationConstants.ATTR_COREFILE_PATH + ") and there is no workbench to ask which", null));
        }
        if (!(prompter.handleStatus(CHOOSE_CORE, null) instanceof String chosen) || chosen.isBlank()) {
            throw new CoreException(Status.CANCEL_STATUS);
        }
        return chosen.strip();
    }

    /**
     * Whether a workbench runs to show the prompt. Asked of the workbench's bundle first: headless, loading
     * {@code PlatformUI} would start that bundle, which fails.
     */
    private static boolean workbenchRunning() {
        Bundle workbench = Platform.getBundle("org.eclipse.ui.workbench");
        return workbench != null && workbench.getState() == Bundle.ACTIVE && PlatformUI.isWorkbenchRunning();
    }
}
