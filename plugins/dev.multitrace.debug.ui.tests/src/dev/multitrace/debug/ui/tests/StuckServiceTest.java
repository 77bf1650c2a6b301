package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.swt.widgets.Display;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;
import dev.multitrace.debug.core.ServiceCalls;
import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.ServiceTimeouts;

/**
 * The tracer thread stuck (an engine's callback that blocks): what a user does on the UI thread
 * must not freeze the IDE. Toggling Skip All Breakpoints (which froze the newcomer's workbench)
 * returns after the time limit ({@link ServiceCalls}, set to 1 s here) and an error dialog names
 * the operation; a further call to the same session (Suspend) fails at once; the UI thread keeps
 * running its event loop; Terminate kills the program all the same, and once the callback returns
 * the session ends with SIGKILL's status.
 */
public class StuckServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long TIMEOUT_MS = 1000;

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
        ServiceTimeouts.install(); // the workbench's early startup does it too, but perhaps later
        System.setProperty(ServiceCalls.TIMEOUT_PROPERTY, Long.toString(TIMEOUT_MS));
    }

    @AfterAll
    static void restore() {
        System.clearProperty(ServiceCalls.TIMEOUT_PROPERTY);
        DebugPlugin.getDefault().getBreakpointManager().setEnabled(true);
    }

    /** Blocks the tracer thread in its first syscall-entry callback until released. */
    private static final class StuckOps implements EngineOps {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
            entered.countDown();
            try {
                release.await(60, TimeUnit.SECONDS); // bounded, so a failed test does not keep it for ever
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ResumeAction.RESUME;
        }
    }

    @Test
    void aStuckTracerThreadCostsTheUiOneTimeoutAndAMessageNotAFreeze() throws Exception {
        IBreakpointManager manager = DebugPlugin.getDefault().getBreakpointManager();
        MultitraceLineBreakpoint bp = new MultitraceLineBreakpoint(SampleProject.source("newcomer"),
                Programs.line(Programs.source("newcomer"), "work"), true);
        StuckOps stuck = new StuckOps();
        ILaunch launch = null;
        int pid = 0;
        try (DebugEvents events = new DebugEvents()) {
            IDebugTarget target = DebugSampleTest.debugAs(events, SampleProject.binary("newcomer"));
            launch = target.getLaunch();
            DebugSession session = DebugContexts.resolve(target).session();
            pid = session.pid();
            DebugSampleTest.awaitStopInSource(target);
            Workbench.waitUntil("the breakpoint is planted", WAIT, () -> session.breakpoints().size() == 1
                    && !session.isPending(session.breakpoints().get(0)));

            session.attachEngine("stuck", stuck, EnumSet.of(Event.SYSCALL_ENTRY));
            target.resume(); // main's usleep: the tracer thread enters the callback and stays there
            assertTrue(stuck.entered.await(10, TimeUnit.SECONDS), "the tracer thread is in the blocking callback");

            int[] ticks = {0};
            Display display = Display.getCurrent();
            Runnable[] tick = new Runnable[1];
            tick[0] = () -> {
                ticks[0]++;
                display.timerExec(50, tick[0]);
            };
            display.timerExec(50, tick[0]);

            // Skip All Breakpoints, on the UI thread as its toolbar button does it: the session is asked
            // to remove the planted breakpoint.
            long t0 = System.nanoTime();
            manager.setEnabled(false);
            long skipMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(skipMs < TIMEOUT_MS + 1500, "Skip All Breakpoints returned after " + skipMs + " ms");

            // The user sees why: an error dialog naming the operation (the test workbench's watchdog closes
            // it and keeps its text), while the event loop keeps running.
            int before = ticks[0];
            String dialog = Workbench.waitFor("an error dialog about the service", Duration.ofSeconds(5),
                    () -> Workbench.closedDialogs().stream().filter(d -> d.startsWith(ServiceTimeouts.TITLE)).findFirst().orElse(null));
            assertTrue(dialog.contains("Remove breakpoint newcomer.c:"), dialog);
            assertTrue(dialog.contains("did not answer within " + TIMEOUT_MS + " ms"), dialog);
            Workbench.spin(300);
            assertTrue(ticks[0] > before, "the UI thread ran its timers meanwhile (" + (ticks[0] - before) + " ticks)");
            // Suspend from the UI thread: the same session's service has not answered the removal yet, so
            // it fails at once (no second timeout), naming both.
            t0 = System.nanoTime();
            DebugException failure = assertThrows(DebugException.class, target::suspend);
            long suspendMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(failure.getMessage().startsWith("Suspend newcomer"), failure.getMessage());
            assertTrue(failure.getMessage().contains("has not answered \"Remove breakpoint newcomer.c:"), failure.getMessage());
            assertTrue(suspendMs < 500, "Suspend failed after " + suspendMs + " ms");
            // ... and the user is told (the first dialog is closed, so this one shows).
            Workbench.waitUntil("an error dialog about the Suspend", Duration.ofSeconds(5),
                    () -> Workbench.closedDialogs().stream().anyMatch(d -> d.startsWith(ServiceTimeouts.TITLE) && d.contains("Suspend newcomer")));

            // Terminate still returns at once: the session's kill is a kill(2), which needs no answer from
            // the tracer thread. (The program's threads then wait in their exit stops for the stuck
            // tracer: only it can let them finish dying and reap them.)
            t0 = System.nanoTime();
            target.terminate();
            long terminateMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(terminateMs < 500, "Terminate returned after " + terminateMs + " ms");

            System.out.printf("StuckServiceTest: Skip All Breakpoints returned in %d ms (limit %d ms), Suspend failed fast in %d ms,"
                    + " Terminate returned in %d ms; dialog: %s%n", skipMs, TIMEOUT_MS, suspendMs, terminateMs, dialog);

            // The callback returns: the service goes on, reaps the killed program; the session ends with its status.
            stuck.release.countDown();
            IProcess process = launch.getProcesses()[0];
            Workbench.waitUntil("the process terminates", WAIT, process::isTerminated);
            assertEquals(128 + 9, process.getExitValue(), "killed by SIGKILL");
            assertNotNull(target);
        } finally {
            stuck.release.countDown();
            manager.setEnabled(true);
            bp.delete();
            if (launch != null && !launch.isTerminated()) {
                launch.terminate();
            }
            if (pid != 0 && Orphans.alive(pid)) {
                new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
            }
        }
    }
}
