package dev.multitrace.debug.core;

import dev.multitrace.core.HostProcess;
import dev.multitrace.core.HostProcesses;
import dev.multitrace.session.DebugSession;

import java.util.List;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;

/**
 * Attaching to a running process, for the "Attach to Process..." dialog: the process list, and
 * an attach that shows the process with all its threads (held) in the Debug view. Run
 * {@link #attach} in a Job: attaching to many threads takes a while.
 */
public final class Attach {

    private Attach() {
    }

    /** Every process of the machine now (pid, name, user, command line, and who traces it: TracerPid and its name). */
    public static List<HostProcess> processes() {
        return HostProcesses.list();
    }

    /**
     * Attaches to {@code pid} in debug mode through an unsaved launch configuration of the
     * Multitrace type (so the launch has the usual source lookup).
     *
     * @throws CoreException naming the reason if the attach is refused (another tracer and which,
     *                       ptrace_scope, credentials) or the process is gone
     */
    public static ILaunch attach(int pid, IProgressMonitor monitor) throws CoreException {
        return configuration(pid).launch(ILaunchManager.DEBUG_MODE, monitor);
    }

    /** An unsaved launch configuration that attaches to {@code pid}. */
    public static ILaunchConfigurationWorkingCopy configuration(int pid) throws CoreException {
        ILaunchManager m = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationType type = m.getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID);
        ILaunchConfigurationWorkingCopy wc = type.newInstance(null, "Attach to " + label(pid));
        wc.setAttribute(LaunchAttributes.ATTACH_PID, pid);
        return wc;
    }

    static DebugSession session(int pid) throws CoreException {
        try {
            return DebugSession.attach(pid);
        } catch (RuntimeException e) {
            throw new CoreException(MultitraceDebug.error("cannot attach to process " + pid + ": " + MultitraceDebug.describe(e), e));
        }
    }

    /** {@code spin (pid 4242)}, or {@code pid 4242} if it is gone. */
    static String label(int pid) {
        return HostProcesses.list().stream().filter(p -> p.pid() == pid).findFirst()
                .map(p -> p.name() + " (pid " + pid + ")").orElse("pid " + pid);
    }
}
