package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.MultitraceStack;
import dev.multitrace.dsf.ThreadContext;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.debug.core.CDIDebugModel;
import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.debug.core.model.ICBreakpointType;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
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
 * The Multitrace debugger as CDT's "C/C++ Application" launch configurations offer it: the delegate is
 * registered for that type, and a configuration launched with it runs the program under the DSF services,
 * with a CDT breakpoint set before the launch planted before the program runs.
 */
class LaunchDelegateTest {

    private static final String DELEGATE = "dev.multitrace.dsf.ui.localApplicationDelegate";

    private ILaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(), true);
    }

    private static ILaunchConfigurationType cApplication() {
        return DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP);
    }

    @Test
    void theDelegateIsADebuggerOfCdtsApplicationType() throws Exception {
        ILaunchConfigurationType type = cApplication();
        assertTrue(type != null, "CDT's C/C++ Application type is there");
        ILaunchDelegate ours = null;
        ILaunchDelegate gdb = null;
        for (ILaunchDelegate d : type.getDelegates(Set.of(ILaunchManager.DEBUG_MODE))) {
            if (d.getId().equals(DELEGATE)) {
                ours = d;
            } else if (d.getId().equals("org.eclipse.cdt.dsf.gdb.launch.localCLaunch")) {
                gdb = d;
            }
        }
        assertTrue(ours != null, "registered for debug mode");
        // The launch configuration dialog lists it by this name (the platform adds " Launcher").
        assertTrue(ours.getName().startsWith("Multitrace (in-process, several engines)"), ours.getName());
        assertTrue(gdb != null, "beside DSF-GDB's, in the same launch configuration type");
    }

    @Test
    void badDebuggerSettingsAreClearErrorsAndLeaveNoProgramBehind() throws Exception {
        String program = TestPrograms.path("loop").toString();
        ILaunchConfigurationWorkingCopy wc = cApplication().newInstance(null, "loop, bad settings");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, program);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), DELEGATE);

        new DebuggerSettings(true, "main", false, 70000, false, false).write(wc, false);
        CoreException port = assertThrows(CoreException.class, () -> wc.launch(ILaunchManager.DEBUG_MODE, null));
        assertEquals("GDB stub port 70000 is not a TCP port (1-65535, or 0 for no stub)", port.getMessage());

        new DebuggerSettings(true, "no_such_function", false, 0, false, false).write(wc, false);
        CoreException symbol = assertThrows(CoreException.class, () -> wc.launch(ILaunchManager.DEBUG_MODE, null));
        assertEquals("stop on startup at 'no_such_function': loop has no such function", symbol.getMessage());
        // the program the failed launch started is killed and reaped by the service
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loopChildren(program) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, loopChildren(program), "no loop left running or stopped");
    }

    private static long loopChildren(String program) {
        return ProcessHandle.current().children().filter(p -> p.info().command().map(program::equals).orElse(false)).count();
    }

    @Test
    void aLaunchStopsAtABreakpointSetBeforeItThenTerminateEndsIt() throws Exception {
        FrameworkUtil.getBundle(MultitraceLaunch.class).start();
        int line = TestPrograms.mark("loop", "square-body");
        CDIDebugModel.createLineBreakpoint(TestPrograms.source("loop").toString(), ResourcesPlugin.getWorkspace().getRoot(),
                ICBreakpointType.REGULAR, line, true, 0, "", true);

        ILaunchConfigurationWorkingCopy wc = cApplication().newInstance(null, "loop under Multitrace");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("loop").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, false);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), DELEGATE);
        // Headless, the platform's "save editors before launch" prompter cannot load (it is the workbench's): it
        // logs that and goes on.
        launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        MultitraceLaunch ml = assertInstanceOf(MultitraceLaunch.class, launch);

        DsfServicesTracker tracker = new DsfServicesTracker(FrameworkUtil.getBundle(getClass()).getBundleContext(),
                ml.getSession().getId());
        try {
            DebugSessionService backend = ml.<DebugSessionService>call(rm -> {
                rm.setData(tracker.getService(DebugSessionService.class));
                rm.done();
            });
            DebugSession s = ml.<DebugSession>call(rm -> {
                rm.setData(backend.debugSession());
                rm.done();
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!s.isHeld(s.pid()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals("breakpoint loop.c:" + line, s.stateLabel(s.pid()),
                    "not stopped at main (off in the configuration) but at the CDT breakpoint");
            MultitraceStack stack = ml.<MultitraceStack>call(rm -> {
                rm.setData(tracker.getService(MultitraceStack.class));
                rm.done();
            });
            ThreadContext t = ml.<ThreadContext>call(rm -> {
                rm.setData(backend.thread(s.pid()));
                rm.done();
            });
            IFrameDMContext top = ml.call((DataRequestMonitor<IFrameDMContext> rm) -> stack.getTopFrame(t, rm));
            IFrameDMData f = ml.call((DataRequestMonitor<IFrameDMData> rm) -> stack.getFrameData(top, rm));
            assertEquals("square", f.getFunction());

            launch.terminate();
            assertTrue(launch.isTerminated());
            assertEquals(9, s.process().exitStatus().get(30, TimeUnit.SECONDS).signal(), "killed: SIGKILL");
        } finally {
            tracker.dispose();
        }
    }
}
