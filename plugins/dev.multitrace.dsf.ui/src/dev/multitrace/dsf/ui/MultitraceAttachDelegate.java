package dev.multitrace.dsf.ui;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.debug.sourcelookup.DsfSourceLookupParticipant;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.IStatusHandler;
import org.eclipse.debug.core.model.ILaunchConfigurationDelegate2;
import org.eclipse.debug.core.model.LaunchConfigurationDelegate;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.eclipse.debug.core.sourcelookup.ISourceLookupParticipant;

/**
 * The Multitrace debugger of CDT's "C/C++ Attach to Application" configurations: the process is the
 * configuration's {@code ATTR_ATTACH_PROCESS_ID}, or, without one, the user picks it from the attach list
 * ({@link ProcessPrompter}, through the platform's status handlers, so that a headless launch without a pid
 * fails with a clear message instead of hanging on a dialog).
 */
public final class MultitraceAttachDelegate extends LaunchConfigurationDelegate implements ILaunchConfigurationDelegate2 {

    /** The status a launch raises to have the user choose the process; {@link ProcessPrompter} handles it. */
    static final IStatus CHOOSE_PROCESS = new Status(IStatus.INFO, MultitraceDsfUiPlugin.PLUGIN_ID, 200, "choose a process", null);

    /**
     * The code of an attach the system or the session refused. A launch from the workbench whose failure has a status
     * handler opens the Debug Configurations dialog on the configuration, which hands the failure to that handler
     * ({@link AttachRefusalHandler}: it shows why); without one the failure was only logged, and the user saw nothing.
     */
    static final int ATTACH_REFUSED = 201;

    @Override
    public ILaunch getLaunch(ILaunchConfiguration configuration, String mode) {
        return new MultitraceLaunch(configuration, mode, null);
    }

    @Override
    public void launch(ILaunchConfiguration configuration, String mode, ILaunch launch, IProgressMonitor monitor)
            throws CoreException {
        MultitraceLaunch l = (MultitraceLaunch) launch;
        DebuggerSettings settings = DebuggerSettings.ofAttach(configuration);
        if (l.getSourceLocator() instanceof ISourceLookupDirector director) {
            director.addParticipants(new ISourceLookupParticipant[] { new DsfSourceLookupParticipant(l.getSession()) });
        }
        try {
            l.startServices();
            l.useSourceLookupDirector();
            int pid = configuration.getAttribute(ICDTLaunchConfigurationConstants.ATTR_ATTACH_PROCESS_ID, -1);
            if (pid <= 0) {
                pid = choose(l);
            }
            attach(l, pid, settings);
        } catch (CoreException | RuntimeException e) {
            l.terminate();
            throw e;
        }
    }

    private static void attach(MultitraceLaunch l, int pid, DebuggerSettings settings) throws CoreException {
        try {
            l.attach(pid, settings);
        } catch (CoreException e) {
            throw new CoreException(new Status(IStatus.ERROR, MultitraceDsfUiPlugin.PLUGIN_ID, ATTACH_REFUSED,
                    e.getStatus().getMessage(), e));
        }
    }

    /** The process the user picks from the launch's attach list; cancelling ends the launch quietly. */
    private static int choose(MultitraceLaunch launch) throws CoreException {
        IStatusHandler prompter = DebugPlugin.getDefault().getStatusHandler(CHOOSE_PROCESS);
        if (prompter == null) {
            throw new CoreException(SessionAdapters.error("the configuration names no process to attach to ("
                    + ICDTLaunchConfigurationConstants.ATTR_ATTACH_PROCESS_ID + ") and there is no workbench to ask which", null));
        }
        Object chosen = prompter.handleStatus(CHOOSE_PROCESS, launch);
        if (!(chosen instanceof Integer pid)) {
            throw new CoreException(Status.CANCEL_STATUS);
        }
        return pid;
    }
}
