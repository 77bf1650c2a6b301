package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.debug.core.CDIDebugModel;
import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.debug.core.model.ICBreakpointType;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationType;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchDelegate;
import org.eclipse.debug.core.ILaunchManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/**
 * CDT's "C/C++ Attach to Application" with the Multitrace delegate, headless: a configuration with a pid attaches to a
 * real running program, it stops at a CDT breakpoint, and the Debug view's disconnect leaves it running untraced
 * with no breakpoint byte; refusals say why.
 */
class AttachLaunchTest {

    private static final String DELEGATE = "dev.multitrace.dsf.ui.attachDelegate";

    private final List<ILaunch> launches = new ArrayList<>();
    private final List<Integer> orphans = new ArrayList<>();

    @AfterEach
    void end() throws Exception {
        for (ILaunch l : launches) {
            if (l.canTerminate()) {
                l.terminate();
            }
        }
        OrphanProcess.killAll(orphans);
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(), true);
    }

    private static ILaunchConfigurationType attachType() {
        return DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_ATTACH);
    }

    private MultitraceLaunch attach(int pid) throws CoreException {
        return attach(pid, DebuggerSettings.defaults(true));
    }

    private MultitraceLaunch attach(int pid, DebuggerSettings settings) throws CoreException {
        ILaunchConfigurationWorkingCopy wc = attachType().newInstance(null, "attach " + pid);
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_ATTACH_PROCESS_ID, pid);
        settings.write(wc, true);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), DELEGATE);
        ILaunch launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        launches.add(launch);
        return assertInstanceOf(MultitraceLaunch.class, launch);
    }

    @Test
    void theDelegateIsADebuggerOfCdtsAttachType() throws Exception {
        boolean ours = false;
        for (ILaunchDelegate d : attachType().getDelegates(Set.of(ILaunchManager.DEBUG_MODE))) {
            ours |= d.getId().equals(DELEGATE);
        }
        assertTrue(ours, "registered for CDT's attach type in debug mode");
    }

    @Test
    void attachStopsAtACdtBreakpointAndDisconnectLeavesItRunningUntracedWithNoInt3() throws Exception {
        FrameworkUtil.getBundle(MultitraceLaunch.class).start();
        int pid = OrphanProcess.startProgram("spin", 3);
        orphans.add(pid);
        int line = TestPrograms.mark("spin", "tick");
        CDIDebugModel.createLineBreakpoint(TestPrograms.source("spin").toString(), ResourcesPlugin.getWorkspace().getRoot(),
                ICBreakpointType.REGULAR, line, true, 0, "", true);

        MultitraceLaunch launch = attach(pid);
        DebugSession s = launch.debugSession();
        assertTrue(s.isAttached());
        int stopped = waitForAStop(s, "breakpoint spin.c:" + line);
        assertTrue(stopped > 0, "a thread stopped at the CDT breakpoint: " + labels(s));
        long at = s.symbols().addressesFor("spin.c", line)[0];
        assertEquals((byte) 0xcc, OrphanProcess.readByte(pid, at), "planted while attached");
        assertNotEquals("0", OrphanProcess.status(pid, "TracerPid"), "traced (by the service's tracer thread)");
        assertTrue(launch.program().getLabel().startsWith("spin (pid " + pid + ")"), launch.program().getLabel());

        assertTrue(launch.canDisconnect());
        launch.disconnect();
        assertTrue(launch.isTerminated() && launch.isDisconnected());
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(pid, at), "no breakpoint byte left");
        assertEquals("0", OrphanProcess.status(pid, "TracerPid"));
        long ticks = ticks(s, pid);
        Thread.sleep(100);
        assertTrue(ticks(s, pid) > ticks, "it runs on");
        assertNotEquals('t', OrphanProcess.state(pid), "not left stopped");
    }

    @Test
    void theDebuggerTabCanKeepTheAttachedProcessSuspendedInNonStopModeAndTerminateLetsItGo() throws Exception {
        int pid = OrphanProcess.startProgram("spin", 3);
        orphans.add(pid);
        MultitraceLaunch launch = attach(pid, new DebuggerSettings(true, DebuggerSettings.DEFAULT_STOP_SYMBOL, false, 0, true, false));
        DebugSession s = launch.debugSession();
        assertTrue(s.isNonStop(), "non-stop from the configuration");
        assertEquals(3, s.threads().size());
        for (int tid : s.threads()) {
            assertTrue(s.isHeld(tid), tid + " kept suspended: " + s.stateLabel(tid));
        }
        assertEquals('t', OrphanProcess.state(pid), "stopped while attached");

        launch.terminate(); // an attached process is let go, not killed
        assertEquals("0", OrphanProcess.status(pid, "TracerPid"));
        assertNotEquals('t', OrphanProcess.state(pid), "running again");
        assertTrue(launch.program().getLabel().endsWith("[detached, running]"), launch.program().getLabel());
    }

    @Test
    void refusalsSayWhy() throws Exception {
        // No such process: a pid past the kernel's pid_max is never one.
        CoreException gone = assertThrows(CoreException.class, () -> attach(Integer.MAX_VALUE));
        assertTrue(gone.getMessage().contains("no such process"), gone.getMessage());

        CoreException self = assertThrows(CoreException.class, () -> attach((int) ProcessHandle.current().pid()));
        assertTrue(self.getMessage().contains("this IDE itself"), self.getMessage());

        // Another tracer: the first launch traces it, a second one is told by whom.
        int pid = OrphanProcess.startProgram("spin", 3);
        orphans.add(pid);
        MultitraceLaunch first = attach(pid);
        CoreException twice = assertThrows(CoreException.class, () -> attach(pid));
        // TracerPid names the tracing thread of this JVM
        assertTrue(twice.getMessage().contains("already traced by pid " + OrphanProcess.status(pid, "TracerPid")),
                twice.getMessage());
        first.disconnect();
        assertEquals("0", OrphanProcess.status(pid, "TracerPid"), "the failed second attach left nothing behind");
    }

    /** Waits for a thread of {@code s} to be held with {@code label}; its tid, or 0 after 30 s. */
    private static int waitForAStop(DebugSession s, String label) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (int tid : s.threads()) {
                if (s.isHeld(tid) && label.equals(s.stateLabel(tid))) {
                    return tid;
                }
            }
            Thread.sleep(10);
        }
        return 0;
    }

    private static String labels(DebugSession s) {
        StringBuilder b = new StringBuilder();
        for (int tid : s.threads()) {
            b.append(tid).append(": ").append(s.stateLabel(tid)).append("; ");
        }
        return b.toString();
    }

    /** spin's tick counter, read through /proc (the process is not traced any more). */
    private static long ticks(DebugSession s, int pid) throws Exception {
        long at = s.symbolAddress("ticks").orElseThrow();
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (OrphanProcess.readByte(pid, at + i) & 0xff);
        }
        return v;
    }
}
