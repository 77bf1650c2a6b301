package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.HostProcess;
import dev.multitrace.core.HostProcesses;
import dev.multitrace.core.Result;
import dev.multitrace.engines.SyscallTracer;
import dev.multitrace.testing.TestPrograms;
import dev.multitrace.testing.OrphanProcess;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Attach to a running process, detach cleanly; the debugger and a syscall tracer on one thread. */
class AttachAndEnginesTest {

    private DebugSession session;
    private int orphan;
    private final Stops stops = new Stops();

    @AfterEach
    void end() throws Exception {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
        if (orphan > 0) {
            // Our own test process, by pid.
            new ProcessBuilder("kill", "-9", Integer.toString(orphan)).start().waitFor();
        }
    }

    @Test
    void attachShowsAllThreadsThenDetachLeavesItRunningWithoutBreakpointBytes() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        HostProcess listed = HostProcesses.list().stream().filter(p -> p.pid() == orphan).findFirst().orElseThrow();
        assertEquals("spin", listed.name());
        assertEquals(0, listed.tracerPid());

        session = DebugSession.attach(orphan);
        session.addListener(stops);
        assertEquals(3, session.threads().size(), session.threads()::toString);
        for (int tid : session.threads()) {
            assertTrue(session.isHeld(tid), () -> session.stateLabel(tid));
            assertEquals("attached", session.stateLabel(tid));
            assertFalse(session.frames(tid).isEmpty());
        }
        assertNotEquals(0, HostProcesses.list().stream().filter(p -> p.pid() == orphan).findFirst().orElseThrow().tracerPid());

        long tick = breakAtTick();
        assertEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick), "the breakpoint is planted");
        session.resumeAll();
        // Some thread hits tick(); all-stop stops the others.
        Stops.Stop hit = nextBreakpoint();
        assertEquals("tick", session.frames(hit.tid()).get(0).functionName());
        for (int tid : session.threads()) {
            awaitHeld(tid);
        }
        session.resumeAll();
        session.suspendAll();
        for (int tid : session.threads()) {
            awaitHeld(tid);
        }
        session.detach();
        assertTrue(session.isEnded());
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick), "no breakpoint byte left");
        long ticks = ticksNow();
        Thread.sleep(100);
        assertTrue(ticksNow() > ticks, "it keeps running");
        assertNotEquals('t', OrphanProcess.state(orphan));
        assertEquals(0, HostProcesses.list().stream().filter(p -> p.pid() == orphan).findFirst().orElseThrow().tracerPid());
    }

    /**
     * All-stop, a resume at once after a stop: the other threads' stops were asked for and have not come yet.
     * They must run on with the rest, not stay suspended when their stop arrives after the resume (the session
     * cancels their requests: each runs on when its stop comes). 30 rounds, each checked 100 ms after the resume: nothing held.
     */
    @Test
    void aResumeRightAfterAStopLeavesNoStragglerSuspended() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        session = DebugSession.attach(orphan);
        session.addListener(stops);
        long tick = session.symbols().addressesFor("spin.c", TestPrograms.mark("spin", "tick"))[0];
        for (int round = 0; round < 30; round++) {
            CodeBreakpoint bp = new CodeBreakpoint("tick", new long[] {tick}, null, 0, Set.of(), null);
            session.addBreakpoint(bp);
            stops.clear();
            session.resumeAll();
            stops.nextOfAny(StopReason.Kind.BREAKPOINT);
            session.removeBreakpoint(bp);
            session.resumeAll();
            Thread.sleep(100);
            for (int tid : session.threads()) {
                int t = tid;
                int r = round;
                assertFalse(session.isHeld(tid), () -> "round " + r + ": thread " + t + " left " + session.stateLabel(t));
            }
            session.suspendAll();
            for (int tid : session.threads()) {
                awaitHeld(tid);
            }
        }
        session.detach();
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick), "no breakpoint byte left");
    }

    /**
     * All-stop, Suspend then Resume at once (a user's two quick clicks): the resume comes before most of the
     * stops the suspend asked for. Every thread must run on: none held 100 ms after, and the program's counter
     * advances. 30 rounds.
     */
    @Test
    void aResumeRightAfterASuspendLeavesNothingSuspended() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        session = DebugSession.attach(orphan);
        session.resumeAll();
        for (int round = 0; round < 30; round++) {
            session.suspendAll();
            session.resumeAll();
            Thread.sleep(100);
            for (int tid : session.threads()) {
                int t = tid;
                int r = round;
                assertFalse(session.isHeld(tid), () -> "round " + r + ": thread " + t + " left " + session.stateLabel(t));
                assertFalse(session.stopReason(tid).isPresent(), () -> "round " + r + ": thread " + t + " has a stop reason");
            }
        }
        long before = ticksNow();
        Thread.sleep(300);
        assertTrue(ticksNow() > before, "the threads run after the last resume: their counter advances");
        session.detach();
    }

    /**
     * All-stop with three threads on one breakpoint: a resume of all lets each thread go while another may already
     * hit the breakpoint and stop them again. A thread stopped again so must stay stopped (its resume, which was on
     * its way to the tracer thread, does not undo the stop: once it ran on while the session held it, and reading
     * its stack failed), and the thread of the breakpoint is reported before the others (the Debug view selects the
     * first thread reported).
     */
    @Test
    void aThreadStoppedAgainWhileAResumeLetsItGoStaysStopped() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        session = DebugSession.attach(orphan);
        long tick = breakAtTick();
        List<StopReason.Kind> reports = new CopyOnWriteArrayList<>();
        session.addListener(new SessionListener() {
            @Override
            public void threadStopped(int tid, StopReason reason) {
                reports.add(reason.kind());
            }
        });
        for (int round = 0; round < 60; round++) {
            int r = round;
            reports.clear();
            session.resumeAll();
            for (int i = 0; i < 1000 && !session.threads().stream().allMatch(session::isHeld); i++) {
                Thread.sleep(5);
            }
            for (int tid : session.threads()) {
                int t = tid;
                assertTrue(session.isHeld(tid), () -> "round " + r + ": thread " + t + " " + session.stateLabel(t));
                try {
                    session.frames(tid);
                } catch (IllegalStateException e) {
                    throw new AssertionError("round " + r + ": thread " + tid + " is held but its stack cannot be read: " + e.getMessage(), e);
                }
            }
            assertEquals(StopReason.Kind.BREAKPOINT, reports.get(0), () -> "round " + r + ": reported first " + reports);
        }
        session.detach();
    }

    /** A breakpoint in spin.c's tick, which every thread runs each millisecond; its address. */
    private long breakAtTick() {
        long tick = session.symbols().addressesFor("spin.c", TestPrograms.mark("spin", "tick"))[0];
        session.addBreakpoint(new CodeBreakpoint("tick", new long[] {tick}, null, 0, Set.of(), null));
        return tick;
    }

    private Stops.Stop nextBreakpoint() throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            for (int tid : session.threads()) {
                if (session.stopReason(tid).map(r -> r.kind() == StopReason.Kind.BREAKPOINT).orElse(false)) {
                    return new Stops.Stop(tid, session.stopReason(tid).get());
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no breakpoint hit");
    }

    private void awaitHeld(int tid) throws InterruptedException {
        for (int i = 0; i < 9000 && !session.isHeld(tid); i++) {
            Thread.sleep(10);
        }
        assertTrue(session.isHeld(tid), () -> tid + ": " + session.stateLabel(tid));
    }

    private long ticksNow() throws Exception {
        // The program's own counter, read from outside through /proc/PID/mem.
        long at = new SessionSymbols(orphan).addressOf("tick").isPresent() ? symbolAddress("ticks") : 0;
        byte[] b = new byte[8];
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + orphan + "/mem", "r")) {
            mem.seek(at);
            mem.readFully(b);
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    private long symbolAddress(String name) {
        var syms = new SessionSymbols(orphan).refresh();
        for (var m : syms.modules()) {
            for (var s : m.elf().symbols().byName(name)) {
                return s.value() + m.bias();
            }
        }
        throw new AssertionError("no symbol " + name);
    }

    @Test
    void attachToAProcessTracedByAnotherTracerIsRefusedNamingIt() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        session = DebugSession.attach(orphan);
        int tracer = HostProcesses.list().stream().filter(p -> p.pid() == orphan).findFirst().orElseThrow().tracerPid();
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> DebugSession.attach(orphan));
        assertTrue(e.getMessage().contains("not permitted") && e.getMessage().contains(Integer.toString(tracer)),
                e.getMessage());
        assertTrue(session.isHeld(orphan), "the first session is unaffected");
        session.detach();
    }

    @Test
    void nonStopResumesOneThreadAndAThreadFilterStopsOnlyItsThread() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        session = DebugSession.attach(orphan);
        session.setNonStop(true);
        List<Integer> tids = session.threads();
        int worker = tids.get(1);
        long tick = session.symbols().addressesFor("spin.c", TestPrograms.mark("spin", "tick"))[0];
        session.addBreakpoint(new CodeBreakpoint("tick", new long[] {tick}, null, 0, Set.of(worker), null));
        session.resume(worker);
        awaitHeld(worker);
        assertEquals(StopReason.Kind.BREAKPOINT, session.stopReason(worker).orElseThrow().kind());
        for (int i = 0; i < 5; i++) {
            session.resume(worker);
            awaitHeld(worker);
            assertEquals("tick", session.frames(worker).get(0).functionName());
        }
        // The other threads never ran: still held as attached.
        for (int tid : tids) {
            if (tid != worker) {
                assertEquals("attached", session.stateLabel(tid));
            }
        }
        // Resume the others: they pass the breakpoint (filtered out) and keep running.
        int other = tids.get(2);
        session.resume(other);
        session.resume(tids.get(0));
        Thread.sleep(100);
        assertFalse(session.isHeld(other), session.stateLabel(other));
        assertTrue(session.isHeld(worker));
        session.detach();
    }

    /** IDE shutdown (the bundle's stop): an attached process is let go with its code restored and runs on. */
    @Test
    void endAllDetachesAttachedProcessesCleanly() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        session = DebugSession.attach(orphan);
        long tick = breakAtTick();
        assertEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick));
        DebugSession.endAll();
        assertTrue(session.isEnded());
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick));
        long before = ticksNow();
        Thread.sleep(100);
        assertTrue(ticksNow() > before, "it runs on");
    }

    @Test
    void attachToNoSuchProcessSaysSo() {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> DebugSession.attach(Integer.MAX_VALUE - 1));
        assertTrue(e.getMessage().contains(Integer.toString(Integer.MAX_VALUE - 1)), e.getMessage());
    }

    @Test
    void debuggerAndSyscallTracerOnOneThreadAndTheTracersHoldOutlastsTheDebuggersResume() throws Exception {
        session = DebugSession.launch(Samples.spec("syscalls"), true);
        session.addListener(stops);
        int pid = session.pid();
        List<String> lines = new CopyOnWriteArrayList<>();
        AttachedEngine tracer = session.attachSyscallTracer(lines::add);
        session.start(DebugSession.StopMode.MAIN);
        stops.next(pid, StopReason.Kind.MAIN);

        List<EngineInfo> engines = session.engines(pid);
        assertEquals(List.of(DebugSession.DEBUGGER, SyscallTracer.NAME), engines.stream().map(EngineInfo::name).toList());
        assertTrue(engines.get(0).holdsStop());
        assertTrue(engines.get(0).debugger());
        assertFalse(engines.get(1).holdsStop());
        assertTrue(engines.get(1).callbacks() > 0, "the tracer saw the loader's syscalls");
        assertTrue(engines.get(1).eventsText().contains("SYSCALL_ENTRY"));

        assertEquals(Result.OK, tracer.hold(pid));
        assertTrue(session.stateLabel(pid).contains("also held by " + SyscallTracer.NAME), session.stateLabel(pid));
        session.resumeAll();
        assertFalse(session.isHeld(pid));
        assertEquals("held by " + SyscallTracer.NAME, session.stateLabel(pid));
        Thread.sleep(100);
        assertEquals('t', OrphanProcess.state(pid), "still stopped: the tracer holds it");
        List<EngineInfo> now = session.engines(pid);
        assertFalse(now.get(0).holdsStop());
        assertTrue(now.get(1).holdsStop());

        tracer.release(pid);
        session.process().stdin().write("hello\nquit\n".getBytes(StandardCharsets.UTF_8));
        session.process().stdin().flush();
        assertEquals(0, Samples.exit(session).code());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("read(0, ")), lines::toString); // read
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("write(1, \"hello\\n")), lines::toString); // write
    }

    /** The GDB stub joins a debug session as one more engine; real gdb reads a register through it and detaches. */
    @Test
    void gdbStubJoinsTheSessionAndRealGdbReadsThroughIt() throws Exception {
        session = DebugSession.launch(Samples.spec("loop"), true);
        session.addListener(stops);
        int pid = session.pid();
        session.start(DebugSession.StopMode.MAIN);
        stops.next(pid, StopReason.Kind.MAIN);
        long rip = session.registers(pid).pc();
        List<String> log = new CopyOnWriteArrayList<>();
        AttachedEngine stub = session.attachGdbStub(0, log::add);
        int port = Integer.parseInt(stub.name().substring(stub.name().indexOf(':') + 1));
        List<EngineInfo> engines = session.engines(pid);
        assertEquals(List.of(DebugSession.DEBUGGER, DebugSession.GDB_STUB_ENGINE),
                engines.stream().map(EngineInfo::name).toList());
        assertTrue(engines.get(1).holdsStop(), "the stub holds the thread for its client");

        Process gdb = new ProcessBuilder("gdb", "-nx", "-batch", "-ex", "set remotetimeout 60", "-ex", "target remote 127.0.0.1:" + port,
                "-ex", "printf \"rip=%lx\\n\", $pc", "-ex", "detach").redirectErrorStream(true).start();
        String out = Samples.readAll(gdb.getInputStream());
        assertTrue(gdb.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(out.contains("rip=" + Long.toHexString(rip)), () -> out + "\nstub log:\n" + String.join("\n", log));
        for (int i = 0; i < 6000 && !session.engines(pid).stream().noneMatch(e -> e.name().equals(DebugSession.GDB_STUB_ENGINE)); i++) {
            Thread.sleep(10);
        }
        assertEquals(List.of(DebugSession.DEBUGGER), session.engines(pid).stream().map(EngineInfo::name).toList(),
                "gdb's detach took the stub's engines away");
        assertTrue(session.isHeld(pid), "the debugger still holds its thread");
        session.detachEngine(stub);
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void detachingAnEngineLeavesTheDebugger() throws Exception {
        session = DebugSession.launch(Samples.spec("syscalls"), true);
        int pid = session.pid();
        AttachedEngine tracer = session.attachSyscallTracer(l -> { });
        assertEquals(2, session.engines(pid).size());
        session.detachEngine(tracer);
        assertEquals(List.of(DebugSession.DEBUGGER), session.engines(pid).stream().map(EngineInfo::name).toList());
        assertTrue(session.attachedEngines().isEmpty());
        session.start(DebugSession.StopMode.NONE);
        session.process().stdin().write("quit\n".getBytes(StandardCharsets.UTF_8));
        session.process().stdin().flush();
        assertEquals(0, Samples.exit(session).code());
    }
}
