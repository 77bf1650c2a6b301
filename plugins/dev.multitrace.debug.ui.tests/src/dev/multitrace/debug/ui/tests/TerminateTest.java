package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.core.commands.Command;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.commands.ICommandService;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.debug.core.breakpoints.MultitraceLineBreakpoint;
import dev.multitrace.debug.core.model.MultitraceDebugTarget;
import dev.multitrace.session.AttachedEngine;
import dev.multitrace.debug.ui.DebugContexts;

/**
 * Issue 15, the IDE under faults: Terminate (the Debug view's command, as a user clicks it) in
 * each situation that used to leave the Debug view stale and the tracer thread blocked: at a
 * breakpoint, during a step, during the step-over of a breakpoint in a loop-called function while
 * the other thread runs (the newcomer's scenario, several rounds), with the syscall tracer
 * attached, with the GDB stub attached; and the program killed from outside with kill -9. Each time
 * the Debug view must show the process {@code <terminated, exit value: 137>} (SIGKILL's status)
 * within a second. The measured times are printed and written to target/terminate-times.txt.
 */
public class TerminateTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final long LIMIT_MS = 1000;
    private static final int SIGKILLED = 128 + 9;
    private static final String TERMINATE = "org.eclipse.debug.ui.commands.Terminate";
    private static final int NEWCOMER_ROUNDS = 5;

    /** Situation to the time from Terminate (or the kill) to the Debug view's terminated label, in ms. */
    private static final Map<String, Long> TIMES = new LinkedHashMap<>();

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
        // Earlier tests' terminated launches would only make the Debug view longer to read.
        var manager = DebugPlugin.getDefault().getLaunchManager();
        for (ILaunch l : manager.getLaunches()) {
            if (l.isTerminated()) {
                manager.removeLaunch(l);
            }
        }
    }

    @AfterAll
    static void report() throws IOException {
        StringBuilder b = new StringBuilder("TerminateTest: Terminate to the Debug view's <terminated, exit value: 137> (ms)\n");
        TIMES.forEach((k, v) -> b.append(String.format("  %-45s %5d%n", k, v)));
        b.append("  worst ").append(TIMES.values().stream().mapToLong(Long::longValue).max().orElse(-1)).append(" ms\n");
        System.out.print(b);
        Path dir = Path.of(System.getProperty("multitrace.screenshot.dir", "target/screenshots")).getParent();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("terminate-times.txt"), b);
    }

    /** One launch of newcomer.c, stopped at main. */
    private record Run(DebugEvents events, IDebugTarget target, ILaunch launch, int pid, IThread main) {
    }

    private static Run launch(DebugEvents events) throws Exception {
        IDebugTarget target = DebugSampleTest.debugAs(events, SampleProject.binary("newcomer"));
        int pid = DebugContexts.resolve(target).session().pid();
        IThread main = DebugSampleTest.awaitStopInSource(target);
        assertEquals(Programs.line(Programs.source("newcomer"), "nap"), main.getTopStackFrame().getLineNumber(), "stopped at main");
        return new Run(events, target, target.getLaunch(), pid, main);
    }

    private static MultitraceLineBreakpoint breakpointInWork() throws Exception {
        return new MultitraceLineBreakpoint(SampleProject.source("newcomer"), Programs.line(Programs.source("newcomer"), "work"), true);
    }

    /**
     * Resumes to the breakpoint in work(); the thread that hit it. (All-stop: the other thread
     * suspends too, wherever it is, and its SUSPEND event may come first.)
     */
    private static IThread runToWork(Run r) throws Exception {
        int mark = r.events.mark();
        r.target.resume();
        r.events.awaitSuspend(r.target, mark, WAIT);
        int work = Programs.line(Programs.source("newcomer"), "work");
        return Workbench.waitFor("a thread stopped in work()", WAIT, () -> {
            try {
                for (IThread t : r.target.getThreads()) {
                    var top = t.isSuspended() ? t.getTopStackFrame() : null;
                    if (top != null && top.getLineNumber() == work) {
                        return t;
                    }
                }
            } catch (org.eclipse.debug.core.DebugException e) {
                // resumed meanwhile: look again
            }
            return null;
        });
    }

    /**
     * Selects the launch's target in the Debug view and runs the platform's Terminate command (its
     * toolbar button); returns the time it was run.
     */
    private static long terminateFromDebugView(Run r) throws Exception {
        Workbench.selectInDebugView(r.launch, r.target);
        Command terminate = PlatformUI.getWorkbench().getService(ICommandService.class).getCommand(TERMINATE);
        Workbench.waitUntil("Terminate is enabled", WAIT, terminate::isEnabled);
        long t0 = System.nanoTime();
        PlatformUI.getWorkbench().getService(IHandlerService.class).executeCommand(TERMINATE, null);
        return t0;
    }

    /** Waits for the Debug view to show the process terminated with {@code exit}; records and checks the time since {@code t0}. */
    private static void awaitTerminatedLabel(String situation, Run r, long t0, int exit) throws Exception {
        String label = "<terminated, exit value: " + exit + ">";
        String line = Workbench.waitFor("the Debug view shows process " + r.pid + " " + label, WAIT, () -> {
            try {
                Views.expandAll(IDebugUIConstants.ID_DEBUG_VIEW);
                return Views.texts(Views.tree(IDebugUIConstants.ID_DEBUG_VIEW)).stream()
                        .filter(l -> l.contains("(pid " + r.pid + ")") && l.contains(label)).findFirst().orElse(null);
            } catch (Exception e) {
                return null;
            }
        });
        long ms = (System.nanoTime() - t0) / 1_000_000;
        TIMES.put(situation, ms);
        assertNotNull(line);
        IProcess process = r.launch.getProcesses()[0];
        assertTrue(process.isTerminated());
        assertEquals(exit, process.getExitValue(), "the real exit status");
        assertTrue(r.target.isTerminated(), "the target is terminated");
        assertTrue(r.launch.isTerminated(), "the launch is over");
        assertFalse(Orphans.alive(r.pid), "the program is gone");
        assertTrue(ms < LIMIT_MS, situation + ": the Debug view said " + label + " " + ms + " ms after Terminate (limit " + LIMIT_MS + ")");
    }

    private static void cleanUp(Run r) throws Exception {
        if (r != null && !r.launch.isTerminated()) {
            r.launch.terminate();
        }
        if (r != null && Orphans.alive(r.pid)) {
            new ProcessBuilder("kill", "-9", Integer.toString(r.pid)).start().waitFor();
        }
    }

    @Test
    void terminateAtABreakpoint() throws Exception {
        MultitraceLineBreakpoint bp = breakpointInWork();
        Run r = null;
        try (DebugEvents events = new DebugEvents()) {
            r = launch(events);
            runToWork(r);
            awaitTerminatedLabel("at a breakpoint", r, terminateFromDebugView(r), SIGKILLED);
        } finally {
            bp.delete();
            cleanUp(r);
        }
    }

    @Test
    void terminateDuringAStep() throws Exception {
        Run r = null;
        try (DebugEvents events = new DebugEvents()) {
            r = launch(events);
            r.main.stepOver(); // over usleep(500000): the step is in flight for half a second
            IThread main = r.main;
            Workbench.waitUntil("the step is in flight", WAIT, () -> !main.isSuspended());
            Workbench.spin(100);
            assertTrue(main.isStepping() && !main.isSuspended(), "still stepping over the nap");
            awaitTerminatedLabel("during a step", r, terminateFromDebugView(r), SIGKILLED);
        } finally {
            cleanUp(r);
        }
    }

    /**
     * The newcomer's scenario: stopped at the breakpoint in work() (called from a loop by two
     * threads), Resume (the breakpoint's step-over starts while the other thread runs), Terminate
     * at once; several rounds.
     */
    @Test
    void terminateDuringTheStepOverOfABreakpointWithAnotherThreadRunning() throws Exception {
        MultitraceLineBreakpoint bp = breakpointInWork();
        try {
            for (int round = 1; round <= NEWCOMER_ROUNDS; round++) {
                Run r = null;
                try (DebugEvents events = new DebugEvents()) {
                    r = launch(events);
                    runToWork(r);
                    // Let the worker thread exist: the second hit may be either thread's.
                    runToWork(r);
                    assertTrue(r.target.getThreads().length == 2, "two threads: " + r.target.getThreads().length);
                    // Resume: the breakpoint's step-over starts with the other thread released, and the next
                    // hit (either thread's, within microseconds) may be on its way; Terminate at once.
                    r.target.resume();
                    awaitTerminatedLabel("newcomer: during a step-over, round " + round, r, terminateFromDebugView(r), SIGKILLED);
                } finally {
                    cleanUp(r);
                }
            }
        } finally {
            bp.delete();
        }
    }

    @Test
    void terminateWithTheSyscallTracerAttached() throws Exception {
        Run r = null;
        try (DebugEvents events = new DebugEvents()) {
            r = launch(events);
            AttachedEngine tracer = ((MultitraceDebugTarget) r.target).attachSyscallTracer();
            assertNotNull(tracer);
            r.target.resume(); // runs, every system call traced (nanosleep in a loop)
            Workbench.spin(700);
            assertEquals(2, r.target.getThreads().length, "both threads run");
            awaitTerminatedLabel("with the syscall tracer attached", r, terminateFromDebugView(r), SIGKILLED);
        } finally {
            cleanUp(r);
        }
    }

    @Test
    void terminateWithTheGdbStubAttachedClosesItsPort() throws Exception {
        Run r = null;
        try (DebugEvents events = new DebugEvents()) {
            r = launch(events);
            AttachedEngine stub = ((MultitraceDebugTarget) r.target).attachGdbStub(0);
            int port = Integer.parseInt(stub.name().substring(stub.name().lastIndexOf(':') + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000); // it listens
            }
            awaitTerminatedLabel("with the GDB stub attached", r, terminateFromDebugView(r), SIGKILLED);
            // The session's end closes the stub: its port is free again, and no gdb can connect to a dead session.
            Workbench.waitUntil("the stub's port is closed", Duration.ofSeconds(1), () -> refused(port));
        } finally {
            cleanUp(r);
        }
    }

    @Test
    void programKilledFromOutside() throws Exception {
        Run r = null;
        try (DebugEvents events = new DebugEvents()) {
            r = launch(events);
            r.target.resume();
            Workbench.spin(700);
            long t0 = System.nanoTime();
            assertEquals(0, new ProcessBuilder("kill", "-9", Integer.toString(r.pid)).start().waitFor());
            awaitTerminatedLabel("killed from outside (kill -9)", r, t0, SIGKILLED);
        } finally {
            cleanUp(r);
        }
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
