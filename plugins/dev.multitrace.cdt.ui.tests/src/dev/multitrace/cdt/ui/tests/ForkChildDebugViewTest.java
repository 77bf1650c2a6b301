package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.dsf.ui.DebuggerSettings;
import dev.multitrace.session.DebugSession;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.Test;

/**
 * The Debugger tab's "Debug forked processes" in the workbench, on forkchild.c: once the program forks, CDT's Debug
 * view shows the child as a second process of the launch, its thread suspended where fork returned (as DSF-GDB with
 * "Automatically debug forked processes"); resumed, the child exits and its row goes, while the launch goes on
 * with the parent until it exits too.
 */
class ForkChildDebugViewTest {

    @Test
    void theDebugViewShowsAFollowedForkChildAsASecondProcessOfTheLaunch() throws Exception {
        Workbench.prepare();
        try (LoopLaunch launch = LoopLaunch.stoppedAtMain("fork child", "forkchild", Map.of(DebuggerSettings.FOLLOW_FORKS, true))) {
            DebugSession parent = launch.session;
            parent.resumeAll();
            DebugSession child = Workbench.waitFor(Duration.ofSeconds(30), "the fork child's session", () -> {
                try {
                    return launch.liveSessions().stream().filter(s -> s != parent).findFirst().orElse(null);
                } catch (Exception e) {
                    return null;
                }
            });
            assertEquals(parent.pid(), child.parentPid());
            Workbench.waitUntil("the child is held", Duration.ofSeconds(30), () -> child.isHeld(child.pid()));
            Workbench.waitUntil(() -> "the Debug view shows both processes: " + shown(), Duration.ofSeconds(30),
                    () -> shown().equals(Set.of(parent.pid(), child.pid())));
            TreeItem childThread = DebugViewThreads.multitraceThreadItem(child);
            Workbench.waitUntil(() -> "the child's thread row says it is suspended, forked from the parent: " + childThread.getText(),
                    Duration.ofSeconds(20), () -> childThread.getText().contains("suspended (forked from process " + parent.pid() + ")"));
            DebugViewThreads.selectMultitraceThread(child);
            Workbench.screenshot("debug-view-fork-child-suspended.png");

            child.resumeAll();
            Workbench.waitUntil("the child exits", Duration.ofSeconds(30), () -> child.process().exitStatus().isDone());
            assertEquals(42, child.process().exitStatus().get().code(), "the child exits with child_work(21)'s 42");
            Workbench.waitUntil(() -> "the child's row is gone: " + shown(), Duration.ofSeconds(30),
                    () -> shown().equals(Set.of(parent.pid())) || launch.launch.isTerminated());
            Workbench.waitUntil("the parent exits", Duration.ofSeconds(30), () -> parent.process().exitStatus().isDone());
            assertEquals(42, parent.process().exitStatus().get().code(), "the parent exits with the child's status");
            Workbench.waitUntil("the launch ends with its last process", Duration.ofSeconds(30), launch.launch::isTerminated);
            assertTrue(launch.launch.isTerminated());
        }
    }

    private static Set<Integer> shown() {
        try {
            return DebugViewThreads.shownProcesses();
        } catch (Exception e) {
            return Set.of();
        }
    }
}
