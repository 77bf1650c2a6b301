package dev.multitrace.debug.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.ui.ide.IDE;
import org.eclipse.ui.texteditor.ITextEditor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.multitrace.core.HostProcess;
import dev.multitrace.core.HostProcesses;
import dev.multitrace.debug.core.model.TraceeProcess;
import dev.multitrace.debug.ui.DebugContexts;
import dev.multitrace.debug.ui.attach.AttachHandler;

/**
 * Attach to a running process started by the test: all its threads in the Debug view, suspend,
 * detach; the process runs on with no int3 left where a breakpoint was.
 */
public class AttachTest {

    @BeforeAll
    static void prepare() throws Exception {
        Workbench.prepareForDebugging();
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void attachSuspendShowThreadsDetachLeavesItRunningClean() throws Exception {
        Path dir = Files.createTempDirectory("attach");
        try (Orphans orphans = new Orphans(); DebugEvents events = new DebugEvents()) {
            long pid = orphans.start(dir.resolve("spinner.log"), Programs.binary("spinner").toString());
            Workbench.waitUntil("the spinner has its three threads", WAIT, () -> HostProcesses.threads((int) pid).length == 3);
            HostProcess process = HostProcesses.list().stream().filter(p -> p.pid() == pid).findFirst().orElseThrow();

            AttachHandler.attach(process, Workbench.shell().getDisplay());
            IDebugTarget target = Workbench.waitFor("a debug target for " + pid, WAIT, () -> targetOf(pid));
            ILaunch launch = target.getLaunch();
            try {
                IThread[] threads = Workbench.waitFor("three threads", WAIT, () -> {
                    try {
                        IThread[] t = target.getThreads();
                        return t.length == 3 ? t : null;
                    } catch (Exception e) {
                        return null;
                    }
                });
                Workbench.waitUntil("every thread is suspended (attach holds them)", WAIT,
                        () -> Arrays.stream(threads).allMatch(IThread::isSuspended));
                int spinLine = Programs.line(Programs.source("spinner"), "spin");
                long address = DebugContexts.resolve(target).session().symbols()
                        .addressesFor(Programs.source("spinner").toString(), spinLine)[0];
                byte original = readByte(pid, address);
                assertNotEquals((byte) 0xcc, original);

                // Resume, then suspend: all three stop again.
                int mark = events.mark();
                target.resume();
                Workbench.waitUntil("the threads run again", WAIT, () -> Arrays.stream(threads).noneMatch(IThread::isSuspended));
                target.suspend();
                events.awaitSuspend(target, mark, WAIT);
                Workbench.waitUntil("suspend stops all three", WAIT, () -> Arrays.stream(threads).allMatch(IThread::isSuspended));

                // A line breakpoint in the threads' loop: its int3 is in memory and a thread hits it.
                ITextEditor editor = (ITextEditor) IDE.openEditor(Workbench.page(), SampleProject.source("spinner"));
                DebugSampleTest.toggleLineBreakpoint(editor, spinLine);
                Workbench.waitUntil("the breakpoint is planted", WAIT, () -> readByteOrZero(pid, address) == (byte) 0xcc);
                mark = events.mark();
                target.resume();
                IThread hit = events.awaitSuspend(target, mark, WAIT);
                assertEquals(spinLine, hit.getTopStackFrame().getLineNumber(), "a spinning thread hits the loop breakpoint");
                Workbench.waitUntil("all-stop: every thread stops with it", WAIT, () -> Arrays.stream(threads).allMatch(IThread::isSuspended));
                Views.awaitItem(IDebugUIConstants.ID_DEBUG_VIEW, "the third thread", WAIT,
                        t -> t.contains(Integer.toString(tidOf(threads[2]))));
                Workbench.screenshot("attach-debug-view.png");

                target.disconnect();
                Workbench.waitUntil("the target is disconnected", WAIT, () -> target.isDisconnected() || target.isTerminated());
                Workbench.waitUntil("nobody traces it any more", WAIT, () -> tracerOf(pid) == 0);
                assertEquals(original, readByte(pid, address), "no breakpoint byte left behind");
                long ran = counterTicks(pid);
                Workbench.spin(300);
                assertTrue(Orphans.alive(pid), "the process keeps running after detach");
                assertTrue(counterTicks(pid) > ran, "and it makes progress (its main thread keeps sleeping and waking)");

                // It exits later, not our child: its exit status goes to its parent. The process row says so, and its
                // exit value (which the Debug view's label asks for) is the unknown one, not an error at each refresh.
                IProcess row = launch.getProcesses()[0];
                new ProcessBuilder("kill", "-9", Long.toString(pid)).start().waitFor();
                Workbench.waitUntil("the detached program's row says it exited", WAIT, row::isTerminated);
                assertTrue(row.getLabel().endsWith("[detached, exited]"), row.getLabel());
                assertEquals(TraceeProcess.UNKNOWN_EXIT, row.getExitValue());
            } finally {
                if (!launch.isTerminated()) {
                    launch.terminate();
                }
                DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                        DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(target.getModelIdentifier()), true);
            }
        }
    }

    private static int tidOf(IThread thread) {
        return DebugContexts.resolve(thread).tid();
    }

    static IDebugTarget targetOf(long pid) {
        for (ILaunch l : DebugPlugin.getDefault().getLaunchManager().getLaunches()) {
            IDebugTarget t = l.getDebugTarget();
            if (t != null && !t.isTerminated()) {
                DebugContexts.Ref ref = DebugContexts.resolve(t);
                if (ref != null && ref.session().pid() == pid) {
                    return t;
                }
            }
        }
        return null;
    }

    static byte readByte(long pid, long address) throws Exception {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            return mem.readByte();
        }
    }

    static byte readByteOrZero(long pid, long address) {
        try {
            return readByte(pid, address);
        } catch (Exception e) {
            return 0;
        }
    }

    /** The main thread's voluntary context switches: each of its 1 ms sleeps adds one. */
    static long counterTicks(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("no voluntary_ctxt_switches for " + pid);
    }

    static long tracerOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("TracerPid:")) {
                    return Long.parseLong(line.substring(10).trim());
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
