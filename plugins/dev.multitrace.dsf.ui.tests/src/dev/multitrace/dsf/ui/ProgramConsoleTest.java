package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStreamsProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Console of a "C/C++ Application" launched with the Multitrace delegate: the launch's IProcess streams the
 * program's stdout and stderr to their monitors (what the Console view shows) and writes the console's input to
 * its stdin; its exit value is the program's.
 */
class ProgramConsoleTest {

    private ILaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
    }

    @Test
    void theProgramsOutputReachesTheStreamMonitorsAndTheConsoleInputItsStdin() throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "echoline");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("echoline").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, false);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        MultitraceLaunch ml = assertInstanceOf(MultitraceLaunch.class, launch);

        IProcess[] processes = launch.getProcesses();
        assertEquals(1, processes.length, "the program's process is the launch's (the Console view opens one for it)");
        assertSame(ml.program(), processes[0]);
        IStreamsProxy streams = processes[0].getStreamsProxy();
        Supplier<String> out = () -> streams.getOutputStreamMonitor().getContents();
        waitFor(() -> out.get().contains("echoline ready\n"), out);
        waitFor(() -> streams.getErrorStreamMonitor().getContents().contains("echoline on stderr\n"),
                () -> streams.getErrorStreamMonitor().getContents());

        streams.write("hello console\n");
        waitFor(() -> out.get().contains("got: hello console\n"), out);
        ((org.eclipse.debug.core.model.IStreamsProxy2) streams).closeInputStream();
        assertEquals(3, ml.program().exitValue().get(30, TimeUnit.SECONDS), "exit 3 after end of input");
        assertTrue(processes[0].isTerminated());
        assertEquals(3, processes[0].getExitValue());
    }

    private static void waitFor(Supplier<Boolean> condition, Supplier<String> shown) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen in 30 s; the console has: " + shown.get());
            }
            Thread.sleep(10);
        }
    }
}
