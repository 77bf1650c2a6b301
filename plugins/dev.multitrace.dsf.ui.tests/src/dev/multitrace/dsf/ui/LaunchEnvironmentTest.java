package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the Arguments and Environment tabs set reaches the program launched with the Multitrace delegate: the
 * working directory, the variables added to the IDE's environment or replacing it; a working directory that is
 * not there is a clear error.
 */
class LaunchEnvironmentTest {

    @TempDir
    Path temp;
    private Path dir;
    private ILaunch launch;

    @BeforeEach
    void realPath() throws Exception {
        dir = temp.toRealPath(); // what getcwd says
    }

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
    }

    private ILaunchConfigurationWorkingCopy configuration() throws CoreException {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "envcwd");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("envcwd").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, false);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        return wc;
    }

    /** The program's whole output, once it has exited. */
    private String run(ILaunchConfigurationWorkingCopy wc) throws Exception {
        launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        MultitraceLaunch ml = (MultitraceLaunch) launch;
        assertEquals(0, ml.program().exitValue().get(30, TimeUnit.SECONDS), "envcwd exits 0");
        String out = launch.getProcesses()[0].getStreamsProxy().getOutputStreamMonitor().getContents();
        for (int i = 0; i < 100 && !out.contains("HOME set="); i++) { // the monitor may lag the exit a little
            Thread.sleep(20);
            out = launch.getProcesses()[0].getStreamsProxy().getOutputStreamMonitor().getContents();
        }
        return out;
    }

    @Test
    void theWorkingDirectoryAndAnAddedVariableReachTheProgram() throws Exception {
        ILaunchConfigurationWorkingCopy wc = configuration();
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_WORKING_DIRECTORY, dir.toString());
        wc.setAttribute(ILaunchManager.ATTR_ENVIRONMENT_VARIABLES, Map.of("MULTITRACE_GREETING", "hello from the Environment tab"));
        wc.setAttribute(ILaunchManager.ATTR_APPEND_ENVIRONMENT_VARIABLES, true);
        String out = run(wc);
        assertTrue(out.contains("cwd=" + dir + "\n"), out);
        assertTrue(out.contains("MULTITRACE_GREETING=hello from the Environment tab\n"), out);
        assertTrue(out.contains("HOME set=1\n"), "the IDE's environment is kept beside it: " + out);
    }

    @Test
    void aReplacedEnvironmentHasOnlyTheConfiguredVariables() throws Exception {
        ILaunchConfigurationWorkingCopy wc = configuration();
        wc.setAttribute(ILaunchManager.ATTR_ENVIRONMENT_VARIABLES, Map.of("MULTITRACE_GREETING", "alone"));
        wc.setAttribute(ILaunchManager.ATTR_APPEND_ENVIRONMENT_VARIABLES, false);
        String out = run(wc);
        assertTrue(out.contains("MULTITRACE_GREETING=alone\n"), out);
        assertTrue(out.contains("HOME set=0\n"), "HOME is not passed when the environment is replaced: " + out);
    }

    @Test
    void aWorkingDirectoryThatIsNotThereIsAClearError() throws Exception {
        ILaunchConfigurationWorkingCopy wc = configuration();
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_WORKING_DIRECTORY, dir.resolve("gone").toString());
        CoreException e = assertThrows(CoreException.class, () -> launch = wc.launch(ILaunchManager.DEBUG_MODE, null));
        assertTrue(e.getMessage().contains("working directory") && e.getMessage().contains("gone"), e.getMessage());
    }
}
