package dev.multitrace.debug.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IExpressionManager;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IWatchExpression;
import org.eclipse.debug.ui.DebugUITools;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.debug.ui.CrashSafeDebugState;

/**
 * What the platform reads back at its next start is on disk soon after each change, with no
 * normal shutdown (a killed IDE has none): a breakpoint in the workspace's snapshot (crash
 * recovery), a watch expression in debug.core's preference file, a launch in debug.ui's launch
 * history. Each value is unique to this run, so an earlier save cannot satisfy the test.
 */
public class CrashSafeStateTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Path metadata() {
        return ResourcesPlugin.getWorkspace().getRoot().getLocation().toPath().resolve(".metadata");
    }

    /** Whether some file under {@code dir} holds {@code text} (as bytes: the marker snapshot is binary). */
    private static boolean anyFileContains(Path dir, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(f -> contains(read(f), needle));
        } catch (IOException e) {
            return false; // a file replaced while walked: look again
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void breakpointsExpressionsAndLaunchHistoryAreWrittenWhenTheyChangeNotAtExit() throws Exception {
        Workbench.waitUntil("the workbench started the crash-safe state saver (org.eclipse.ui.startup)", WAIT,
                () -> CrashSafeDebugState.running() != null);
        String unique = Long.toString(Math.floorMod(System.nanoTime(), 1_000_000_000_000L));

        // A breakpoint: its marker, condition included, in the workspace's snapshot files.
        MultitraceLineBreakpoint bp = new MultitraceLineBreakpoint(SampleProject.source("sample"),
                Programs.line(Programs.source("sample"), "loop-body"), true);
        bp.setCondition("$rax == " + unique);
        Path resources = metadata().resolve(".plugins/org.eclipse.core.resources");
        Workbench.waitUntil("the breakpoint's marker is in the workspace's saved state", WAIT,
                () -> anyFileContains(resources, "$rax == " + unique));

        // A watch expression: in debug.core's preferences file.
        IExpressionManager expressions = DebugPlugin.getDefault().getExpressionManager();
        IWatchExpression watch = expressions.newWatchExpression("crashsafe_" + unique);
        expressions.addExpression(watch);
        Path debugCorePrefs = metadata().resolve(".plugins/org.eclipse.core.runtime/.settings/org.eclipse.debug.core.prefs");
        Workbench.waitUntil("the watch expression is in " + debugCorePrefs, WAIT,
                () -> Files.exists(debugCorePrefs) && anyFileContains(debugCorePrefs, "crashsafe_" + unique));

        // A launch: in debug.ui's launch history.
        ILaunchManager launches = DebugPlugin.getDefault().getLaunchManager();
        ILaunchConfigurationWorkingCopy copy = launches.getLaunchConfigurationType(MultitraceDebug.LAUNCH_TYPE_ID)
                .newInstance(null, "crashsafe-" + unique);
        copy.setAttribute(LaunchAttributes.PROGRAM, Programs.binary("sample").toString());
        ILaunchConfiguration config = copy.doSave();
        // As the Run button does (it goes through debug.ui, whose launch history is what is tested).
        DebugUITools.launch(config, ILaunchManager.RUN_MODE);
        ILaunch launch = Workbench.waitFor("the launch of " + config.getName(), WAIT, () -> java.util.Arrays.stream(launches.getLaunches())
                .filter(l -> config.equals(l.getLaunchConfiguration())).findFirst().orElse(null));
        Path history = metadata().resolve(".plugins/org.eclipse.debug.ui/launchConfigurationHistory.xml");
        try {
            Workbench.waitUntil("the launch is in " + history, WAIT,
                    () -> Files.exists(history) && anyFileContains(history, "crashsafe-" + unique));
        } finally {
            // The launch is in the manager before its delegate added the program's process: a terminate before that
            // ends nothing (the program then ran on, waiting for its signal).
            Workbench.waitUntil("the launch has its process", WAIT, () -> launch.getProcesses().length > 0);
            if (!launch.isTerminated()) {
                launch.terminate();
            }
            Workbench.waitUntil("the sample ends", WAIT, launch::isTerminated);
            launches.removeLaunch(launch);
            config.delete();
            expressions.removeExpression(watch);
            bp.delete();
        }
    }
}
