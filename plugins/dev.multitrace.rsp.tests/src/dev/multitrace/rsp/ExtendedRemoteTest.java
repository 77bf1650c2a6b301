package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** gdb's extended-remote against a --multi server: run, kill, run again, attach, detach, monitor exit. */
class ExtendedRemoteTest {

    private final Tracing tracing = Tracing.start();
    /** Starts the program to attach to, then lets go of it: an untraced child, not ProcessBuilder's. */
    private final Tracing launcher = Tracing.start();
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
    private TracedProcess toAttach;

    @AfterEach
    void stop() {
        if (toAttach != null) {
            ProcessHandle.of(toAttach.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        tracing.close();
        launcher.close();
    }

    private String show(Gdb.Run run) {
        return run.output() + "\n--- server log:\n" + serverLog.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runKillRunAttachDetachAndMonitorExit() throws Exception {
        String demo = Gdb.program("demo");
        Engine e = launcher.launch(LaunchSpec.of(demo, "spin"), new EngineOps() {
        }, "launcher", EnumSet.noneOf(Event.class));
        toAttach = e.task().process();
        e.control(ResumeAction.RESUME);
        e.detach();

        GdbServer server = new GdbServer(tracing, null, 0, new GdbServer.Options(false, true, false),
                new java.io.PrintWriter(new java.io.OutputStreamWriter(serverLog, StandardCharsets.UTF_8), true));
        Thread serving = server.start();
        Gdb.Run run = Gdb.run(demo, List.of(
                "target extended-remote 127.0.0.1:" + server.port(),
                "set remote exec-file " + demo,
                "break square",
                "run",
                "p x",
                "kill",
                "run",
                "info inferiors",
                "delete",
                "continue",
                "attach " + toAttach.pid(),
                "p got_usr1",
                "set var got_usr1 = 1",
                "detach",
                "monitor exit"));
        assertTrue(run.output().split("Breakpoint 1, square \\(x=0\\)", -1).length - 1 == 2, show(run));
        assertTrue(run.has("$1 = 0"), show(run));
        assertTrue(run.has("exited with code 052"), show(run));
        assertTrue(run.has("$2 = 0"), show(run));
        assertTrue(run.has("Detaching from program: " + demo + ", process " + toAttach.pid())
                || run.has("(process " + toAttach.pid() + ") detached]"), show(run));
        // the attached program ran on after the detach and ended by itself
        assertEquals(42, toAttach.exitStatus().get(30, TimeUnit.SECONDS).code(), show(run));
        // monitor exit ends the server
        serving.join(30_000);
        assertTrue(!serving.isAlive(), show(run));
        assertTrue(server.pids().isEmpty(), show(run));
    }

    @Test
    void twoProcessesAtOnce() throws Exception {
        String demo = Gdb.program("demo");
        GdbServer server = new GdbServer(tracing, null, 0, new GdbServer.Options(false, true, false),
                new java.io.PrintWriter(new java.io.OutputStreamWriter(serverLog, StandardCharsets.UTF_8), true));
        Thread serving = server.start();
        Gdb.Run run = Gdb.run(demo, List.of(
                "target extended-remote 127.0.0.1:" + server.port(),
                "set remote exec-file " + demo,
                "break compute",
                "run",
                "add-inferior -exec " + demo,
                "inferior 2",
                "run",
                "info inferiors",
                "kill inferiors 2",
                "inferior 1",
                "delete",
                "continue",
                "monitor exit"));
        assertEquals(2, run.output().split("Breakpoint 1(\\.\\d)?, compute \\(n=4\\)", -1).length - 1, show(run));
        assertTrue(run.output().matches("(?s).*\\s1\\s+process \\d+.*\\s2\\s+process \\d+.*"), show(run));
        assertTrue(run.has("exited with code 052"), show(run));
        serving.join(30_000);
        assertTrue(!serving.isAlive(), show(run));
        assertTrue(server.pids().isEmpty(), show(run));
        assertEquals(2, serverLog.toString(StandardCharsets.UTF_8).split("created; pid", -1).length - 1, show(run));
    }
}
