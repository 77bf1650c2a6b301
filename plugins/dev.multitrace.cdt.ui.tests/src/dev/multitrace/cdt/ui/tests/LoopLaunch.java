package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.ui.MultitraceLaunch;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.osgi.framework.FrameworkUtil;

/**
 * The test bundle's {@code loop} program launched by a "C/C++ Application" configuration with the Multitrace
 * debugger, stopped at main: the launch, its DSF session's services and the debug session behind them.
 */
final class LoopLaunch implements AutoCloseable {

    final MultitraceLaunch launch;
    final DebugSession session;
    private final DsfServicesTracker tracker;

    private LoopLaunch(MultitraceLaunch launch, DsfServicesTracker tracker, DebugSession session) {
        this.launch = launch;
        this.tracker = tracker;
        this.session = session;
    }

    static LoopLaunch stoppedAtMain(String name) throws Exception {
        return stoppedAtMain(name, "loop");
    }

    /** The same for another test program than loop. */
    static LoopLaunch stoppedAtMain(String name, String program) throws Exception {
        return stoppedAtMain(name, program, java.util.Map.of());
    }

    /** The same with more Boolean attributes of the configuration (the Debugger tab's). */
    static LoopLaunch stoppedAtMain(String name, String program, java.util.Map<String, Boolean> attributes) throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, name);
        attributes.forEach(wc::setAttribute);
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path(program).toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, true);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        MultitraceLaunch launch = assertInstanceOf(MultitraceLaunch.class, wc.launch(ILaunchManager.DEBUG_MODE, null));
        DsfServicesTracker tracker = onExecutor(launch, () -> new DsfServicesTracker(
                FrameworkUtil.getBundle(LoopLaunch.class).getBundleContext(), launch.getSession().getId()));
        DebugSession session = Workbench.waitFor(Duration.ofSeconds(30), "the launch's debug session", () -> {
            try {
                return onExecutor(launch, () -> {
                    DebugSessionService b = tracker.getService(DebugSessionService.class);
                    return b == null ? null : b.debugSession();
                });
            } catch (Exception e) {
                return null;
            }
        });
        Workbench.waitUntil("stopped at main", Duration.ofSeconds(30), () -> session.isHeld(session.pid()));
        return new LoopLaunch(launch, tracker, session);
    }

    /** The DSF context of thread {@code tid}, made by the backend service on its executor (DSF's rule for services). */
    dev.multitrace.dsf.ThreadContext thread(int tid) throws Exception {
        return onExecutor(() -> tracker.getService(DebugSessionService.class).thread(tid));
    }

    /** The debug sessions of the launch's processes now: its program's, and the fork children it followed. */
    java.util.List<DebugSession> liveSessions() throws Exception {
        return onExecutor(() -> tracker.getService(DebugSessionService.class).liveSessions());
    }

    /** The session's run control service; on its executor only ({@link #onExecutor}). */
    org.eclipse.cdt.dsf.debug.service.IRunControl runControl() {
        return tracker.getService(org.eclipse.cdt.dsf.debug.service.IRunControl.class);
    }

    <T> T onExecutor(Callable<T> c) throws Exception {
        return onExecutor(launch, c);
    }

    private static <T> T onExecutor(MultitraceLaunch launch, Callable<T> c) throws Exception {
        return launch.getSession().getExecutor().submit(c).get(10, TimeUnit.SECONDS);
    }

    /** Ends the program and the launch, and takes it out of the Debug view. */
    @Override
    public void close() throws Exception {
        try {
            onExecutor(() -> {
                tracker.dispose();
                return null;
            });
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            tracker.dispose(); // the program ran to its end and the session with it: no executor to confine it to
        }
        if (launch.canTerminate()) {
            launch.terminate();
        }
        DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
    }
}
