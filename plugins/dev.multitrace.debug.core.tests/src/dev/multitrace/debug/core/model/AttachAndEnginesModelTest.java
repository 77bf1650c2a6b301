package dev.multitrace.debug.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Result;
import dev.multitrace.debug.core.Attach;
import dev.multitrace.debug.core.LaunchAttributes;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.breakpoints.MultitraceFunctionBreakpoint;
import dev.multitrace.session.AttachedEngine;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.EngineInfo;
import dev.multitrace.engines.SyscallTracer;
import dev.multitrace.testing.TestPrograms;
import dev.multitrace.testing.OrphanProcess;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Attach through the launch type, detach leaving no int3; the Engines model with a syscall tracer. */
class AttachAndEnginesModelTest {

    private DebugEvents events;
    private ILaunch launch;
    private int orphan;

    @BeforeEach
    void listen() {
        events = new DebugEvents();
    }

    @AfterEach
    void end() throws Exception {
        events.close();
        if (launch != null && !launch.isTerminated() && launch.getDebugTarget() != null
                && launch.getDebugTarget().canDisconnect() && orphan > 0) {
            launch.getDebugTarget().disconnect();
        } else if (launch != null && !launch.isTerminated()) {
            launch.terminate();
        }
        if (orphan > 0) {
            new ProcessBuilder("kill", "-9", Integer.toString(orphan)).start().waitFor();
        }
        DebugPlugin.getDefault().getBreakpointManager().removeBreakpoints(
                DebugPlugin.getDefault().getBreakpointManager().getBreakpoints(MultitraceDebug.MODEL_ID), true);
    }

    @Test
    void attachShowsAllThreadsSuspendedThenDisconnectLeavesItRunningWithoutInt3() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        assertTrue(Attach.processes().stream().anyMatch(p -> p.pid() == orphan && p.name().equals("spin")
                && p.commandLine().get(0).endsWith("spin") && p.tracerPid() == 0));
        launch = Attach.attach(orphan, new NullProgressMonitor());
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        IThread[] threads = target.getThreads();
        assertEquals(3, threads.length);
        for (IThread t : threads) {
            assertTrue(t.isSuspended(), t.getName());
            assertTrue(t.getStackFrames().length > 0);
        }
        assertTrue(target.getName().startsWith("spin (pid " + orphan + ")"), target.getName());
        var listed = Attach.processes().stream().filter(p -> p.pid() == orphan).findFirst().orElseThrow();
        assertNotEquals(0, listed.tracerPid());

        MultitraceFunctionBreakpoint bp = new MultitraceFunctionBreakpoint("tick", true);
        long[] at = bp.resolve(target.session()).addresses();
        assertEquals((byte) 0xcc, OrphanProcess.readByte(orphan, at[0]));
        target.resume();
        MultitraceThread hit = events.suspended(DebugEvent.BREAKPOINT);
        assertEquals("tick", ((MultitraceStackFrame) hit.getTopStackFrame()).info().functionName());
        for (int i = 0; i < 6000 && !target.isSuspended(); i++) {
            Thread.sleep(10); // all-stop: the other threads follow
        }
        assertTrue(target.isSuspended());

        target.disconnect();
        events.next("target terminate", e -> e.getKind() == DebugEvent.TERMINATE && e.getSource() == target);
        assertTrue(target.isDisconnected());
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(orphan, at[0]), "no int3 left where the breakpoint was");
        Thread.sleep(50);
        assertNotEquals('t', OrphanProcess.state(orphan));
        assertEquals(0, Attach.processes().stream().filter(p -> p.pid() == orphan).findFirst().orElseThrow().tracerPid());
    }

    @Test
    void attachRefusedSaysWhy() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        try (DebugSession other = DebugSession.attach(orphan)) {
            CoreException e = assertThrows(CoreException.class, () -> Attach.attach(orphan, new NullProgressMonitor()));
            assertTrue(e.getMessage().contains("cannot attach to process " + orphan) && e.getMessage().contains("not permitted"),
                    e.getMessage());
        }
    }

    @Test
    void debuggerAndSyscallTracerOnOneThreadResumeLeavesItHeldByTheTracer() throws Exception {
        launch = LaunchAndModelTest.config("syscalls", Map.of(LaunchAttributes.SYSCALL_TRACER, true))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceThread t = events.suspended(DebugEvent.UNSPECIFIED);
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        List<EngineInfo> engines = t.getEngines();
        assertEquals(List.of(DebugSession.DEBUGGER, SyscallTracer.NAME), engines.stream().map(EngineInfo::name).toList());
        assertTrue(engines.get(0).holdsStop() && !engines.get(1).holdsStop());
        assertTrue(engines.get(1).callbacks() > 0);

        AttachedEngine tracer = target.getAttachedEngines().get(0);
        assertEquals(Result.OK, tracer.hold(t.tid()));
        t.resume();
        assertFalse(t.isSuspended());
        assertTrue(t.getName().contains("held by " + SyscallTracer.NAME), t.getName());
        Thread.sleep(100);
        assertEquals('t', OrphanProcess.state(t.tid()));
        assertTrue(t.getEngines().get(1).holdsStop());
        assertFalse(t.getEngines().get(0).holdsStop());

        tracer.release(t.tid());
        IProcess program = launch.getProcesses()[0];
        program.getStreamsProxy().write("quit\n");
        ((TraceeProcess) program).exitValue().get(90, TimeUnit.SECONDS);
        assertEquals(0, program.getExitValue());
        IProcess log = Arrays.stream(launch.getProcesses()).filter(p -> p.getLabel().startsWith("syscall tracer"))
                .findFirst().orElseThrow();
        for (int i = 0; i < 9000 && !log.isTerminated(); i++) {
            Thread.sleep(10); // the log console ends once its queued lines are in
        }
        String lines = log.getStreamsProxy().getOutputStreamMonitor().getContents();
        assertTrue(lines.matches("(?s).*\nread\\(0, \"quit\\\\n\", 255\\) +\\= 5\n.*") && lines.contains("write(1, \"quit\\n\", 5)")
                && lines.contains("+++ exited with 0 +++"), lines);
    }

    @Test
    void aLaunchWithTheGdbStubWaitsForItsClientThenStopsAtMain() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        launch = LaunchAndModelTest.config("loop", Map.of(LaunchAttributes.GDB_STUB_PORT, port))
                .launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        MultitraceThread t = (MultitraceThread) target.getThreads()[0];
        for (int i = 0; i < 6000 && t.isSuspended(); i++) {
            Thread.sleep(10);
        }
        assertFalse(t.isSuspended());
        assertEquals("Thread " + t.tid() + " [held by gdbserver]", t.getName());
        assertEquals(List.of(DebugSession.DEBUGGER, DebugSession.GDB_STUB_ENGINE),
                t.getEngines().stream().map(EngineInfo::name).toList());
        Process gdb = new ProcessBuilder("gdb", "-nx", "-batch", "-ex", "set remotetimeout 60",
                "-ex", "target remote 127.0.0.1:" + port, "-ex", "detach")
                .redirectErrorStream(true).start();
        String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gdb.waitFor(60, TimeUnit.SECONDS), out);
        MultitraceThread atMain = events.suspended(DebugEvent.UNSPECIFIED);
        assertEquals(TestPrograms.mark("loop", "main-first"), atMain.getTopStackFrame().getLineNumber(), out);
        IProcess log = Arrays.stream(launch.getProcesses()).filter(p -> p.getLabel().startsWith("gdbserver: ")).findFirst()
                .orElseThrow();
        assertTrue(log.getStreamsProxy().getOutputStreamMonitor().getContents().contains("Listening on port " + port));
        target.resume();
        assertEquals(7, ((TraceeProcess) launch.getProcesses()[0]).exitValue().get(90, TimeUnit.SECONDS));
    }

    @Test
    void attachAndDetachASyscallTracerOnARunningSession() throws Exception {
        launch = LaunchAndModelTest.config("syscalls", Map.of()).launch(ILaunchManager.DEBUG_MODE, new NullProgressMonitor());
        MultitraceThread t = events.suspended(DebugEvent.UNSPECIFIED);
        MultitraceDebugTarget target = (MultitraceDebugTarget) launch.getDebugTarget();
        assertEquals(1, t.getEngines().size());
        AttachedEngine tracer = target.attachSyscallTracer();
        events.next("engines change", e -> e.getKind() == DebugEvent.CHANGE && e.getDetail() == DebugEvent.STATE
                && e.getSource() == t);
        assertEquals(2, t.getEngines().size());
        target.detachEngine(tracer);
        assertEquals(1, t.getEngines().size());
        target.resume();
        launch.getProcesses()[0].getStreamsProxy().write("quit\n");
        ((TraceeProcess) launch.getProcesses()[0]).exitValue().get(90, TimeUnit.SECONDS);
        assertEquals(0, launch.getProcesses()[0].getExitValue());
    }
}
