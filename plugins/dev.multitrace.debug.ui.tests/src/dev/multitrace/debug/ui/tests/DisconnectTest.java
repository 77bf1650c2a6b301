package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IStackFrame;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.jface.action.IAction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.ui.DebugContexts;

/**
 * Disconnect as a user does it: from the Debug view's own Disconnect button while a stack frame is
 * selected (the selection after a stop), then what the Debug view says about a program that runs
 * on without the debugger, and once it is killed.
 */
public class DisconnectTest {

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The platform's Disconnect command, which the Debug view's toolbar button runs. */
    private static final String DISCONNECT = "org.eclipse.debug.ui.commands.Disconnect";

    @Test
    void disconnectFromASelectedFrameLeavesTheProgramRunningAndTheDebugViewSaysSo() throws Exception {
        try (DebugEvents events = new DebugEvents()) {
            IDebugTarget target = DebugSampleTest.debugAs(events, SampleProject.binary("spinner"));
            ILaunch launch = target.getLaunch();
            int pid = DebugContexts.resolve(target).session().pid();
            try {
                IThread thread = DebugSampleTest.awaitStopInSource(target);
                IStackFrame frame = thread.getTopStackFrame();
                // The Debug view active (the debug context is the active provider's), a frame of the
                // stopped thread selected.
                Workbench.selectInDebugView(launch, target, thread, frame);
                IDebugView debugView = Workbench.showView(IDebugUIConstants.ID_DEBUG_VIEW);

                IAction disconnect = disconnectAction(debugView);
                Workbench.waitUntil("Disconnect is enabled with the frame selected", WAIT, disconnect::isEnabled);
                disconnect.run();

                Workbench.waitUntil("the target is disconnected", WAIT, target::isDisconnected);
                IProcess process = launch.getProcesses()[0];
                String processLabel = "spinner (pid " + pid + ") [detached, running]";
                List<String> lines = Workbench.waitFor("the Debug view says the program is detached and running", WAIT, () -> {
                    try {
                        Views.expandAll(IDebugUIConstants.ID_DEBUG_VIEW);
                        List<String> t = Views.texts(Views.tree(IDebugUIConstants.ID_DEBUG_VIEW));
                        return t.contains(processLabel) ? t : null;
                    } catch (Exception e) {
                        return null;
                    }
                });
                // This launch's lines: the launch, its target, its process (other tests' launches may be listed too).
                List<String> ours = lines.subList(lines.indexOf("spinner [Multitrace Application]"), lines.size()).stream()
                        .filter(l -> l.equals("spinner [Multitrace Application]") || l.contains("(pid " + pid + ")")).toList();
                assertEquals(List.of("spinner [Multitrace Application]", "spinner (pid " + pid + ") [detached]", processLabel), ours,
                        "the Debug view: " + lines);
                Workbench.screenshot("debug-view-disconnected.png");

                assertFalse(process.isTerminated(), "the process element is not terminated: the program runs");
                assertFalse(target.isTerminated());
                assertFalse(launch.isTerminated(), "nor is the launch");
                assertEquals(0, AttachTest.tracerOf(pid), "nobody traces it");
                long ran = AttachTest.counterTicks(pid);
                Workbench.spin(300);
                assertTrue(AttachTest.counterTicks(pid) > ran, "it makes progress");

                // Killed from outside, it ends with its real status: the IDE launched it and
                // remains its parent, so the status is collected.
                new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
                Workbench.waitUntil("the process element terminates", WAIT, process::isTerminated);
                assertEquals(128 + 9, process.getExitValue(), "killed by SIGKILL");
                Workbench.waitUntil("the launch is over", WAIT, launch::isTerminated);
                String ended = Workbench.waitFor("the Debug view shows the exit", WAIT, () -> {
                    try {
                        Views.expandAll(IDebugUIConstants.ID_DEBUG_VIEW);
                        return Views.texts(Views.tree(IDebugUIConstants.ID_DEBUG_VIEW)).stream()
                                .filter(l -> l.contains("spinner (pid " + pid + ") [detached]") && l.contains("exit value: 137"))
                                .findFirst().orElse(null);
                    } catch (Exception e) {
                        return null;
                    }
                });
                assertNotNull(ended);
            } finally {
                if (!launch.isTerminated()) {
                    launch.terminate();
                }
                if (Orphans.alive(pid)) {
                    new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
                }
            }
        }
    }

    /** The Debug view's Disconnect action: its toolbar button and context menu item (the view keys it "disconnect"). */
    private static IAction disconnectAction(IDebugView view) {
        IAction a = view.getAction("disconnect");
        assertNotNull(a, "the Debug view has a Disconnect action");
        assertEquals(DISCONNECT, a.getActionDefinitionId());
        return a;
    }
}
