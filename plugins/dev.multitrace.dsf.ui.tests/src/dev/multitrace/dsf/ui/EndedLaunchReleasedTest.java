package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.service.IDsfService;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;

/**
 * An IDE debugs many times: a Multitrace launch that ended and was removed from the Debug view must not stay in
 * memory with its session, its services and the program's symbols. Three launches, each stopped at main and
 * terminated: their debug sessions must be collectable while the launch objects are still held, and the launches
 * once nothing holds them.
 */
class EndedLaunchReleasedTest {

    private static final int LAUNCHES = 3;

    @Test
    void endedAndRemovedLaunchesAreCollectable() throws Exception {
        List<WeakReference<Object>> launches = new ArrayList<>();
        List<WeakReference<Object>> sessions = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        // As in an IDE, where the views listen: with no debug event listener the platform never runs the
        // DebugPlugin.asyncExec queue, where DsfLaunch's change and terminate notices wait (holding the launch).
        IDebugEventSetListener view = events -> {
        };
        DebugPlugin.getDefault().addDebugEventListener(view);
        try {
            List<Object> heldByTheViews = new ArrayList<>();
            for (int i = 0; i < LAUNCHES; i++) {
                heldByTheViews.add(launchStopTerminate(i, launches, sessions, ids));
            }
            // A workbench may keep an ended launch object a while (the Debug view's pending updates, DSF's model
            // proxies of a hidden view hold it; docs/performance.md): the launch then holds nothing of its session.
            awaitCollected(sessions);
            assertTrue(alive(sessions) == 0, alive(sessions) + " of " + LAUNCHES + " debug sessions (each with its program's"
                    + " symbols) still reachable through their ended launches; " + diagnosis(ids));
            heldByTheViews.clear();
            awaitCollected(launches);
            assertTrue(alive(launches) == 0, alive(launches) + " of " + LAUNCHES + " ended and removed launches still reachable; "
                    + diagnosis(ids));
        } finally {
            DebugPlugin.getDefault().removeDebugEventListener(view);
        }
    }

    private static void awaitCollected(List<WeakReference<Object>> refs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (alive(refs) > 0 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(100);
        }
        if (alive(refs) > 0 && System.getenv("MULTITRACE_LEAK_DUMP") != null) { // for a path to the root
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(System.getenv("MULTITRACE_LEAK_DUMP"), true);
        }
    }

    private static ILaunch launchStopTerminate(int i, List<WeakReference<Object>> launches, List<WeakReference<Object>> sessions,
            List<String> ids) throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "loop released " + i);
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("loop").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, true);
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN_SYMBOL, "main");
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        ILaunch launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        MultitraceLaunch ml = assertInstanceOf(MultitraceLaunch.class, launch);
        ids.add(ml.getSession().getId());
        DebugSession s = ml.debugSession();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!s.isHeld(s.pid()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(s.isHeld(s.pid()), "launch " + i + " stopped at main");
        assertTrue(ml.engines(s).attached().isEmpty(), "what the Engines view asks of the launch (its engines)");
        launch.terminate();
        assertTrue(launch.isTerminated(), "launch " + i + " terminated");
        s.process().exitStatus().get(30, TimeUnit.SECONDS);
        DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
        launches.add(new WeakReference<>(launch));
        sessions.add(new WeakReference<>(s));
        return launch;
    }

    private static int alive(List<WeakReference<Object>> refs) {
        return (int) refs.stream().filter(r -> r.get() != null).count();
    }

    /** What still holds on: sessions DSF thinks active, services still registered in OSGi for an ended session. */
    private static String diagnosis(List<String> ids) throws Exception {
        StringBuilder b = new StringBuilder();
        BundleContext bc = FrameworkUtil.getBundle(DebugSessionService.class).getBundleContext();
        for (String id : ids) {
            b.append("session ").append(id).append(DsfSession.isSessionActive(id) ? " active" : " ended");
            ServiceReference<?>[] refs = bc.getServiceReferences((String) null,
                    "(" + IDsfService.PROP_SESSION_ID + "=" + id + ")");
            b.append(", ").append(refs == null ? 0 : refs.length).append(" services registered");
            if (refs != null) {
                for (ServiceReference<?> r : refs) {
                    b.append(' ').append(((String[]) r.getProperty("objectClass"))[0]);
                }
            }
            b.append("; ");
        }
        return b.toString();
    }
}
