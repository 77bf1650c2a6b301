package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.Memory;
import dev.multitrace.linux.Signal;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Signal reports (intercept, change, ignore, hold), fork following, and examination lifetimes. */
class SignalsTest extends ServiceTest {




    /** Engines in attach order: the first changes SIGUSR1 into SIGUSR2 and ignores SIGTERM; the second sees its choices. */
    @Test
    void enginesChangeAndIgnoreSignalsAndLaterEnginesSeeEarlierChoices() throws Exception {
        EngineOps changer = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.signal() == Signal.SIGUSR1) {
                    report.deliver(Signal.SIGUSR2);
                } else if (report.signal() == Signal.SIGTERM) {
                    report.setAction(SignalAction.IGN);
                }
                return ResumeAction.RESUME;
            }
        };
        List<String> seen = new CopyOnWriteArrayList<>();
        EngineOps observer = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                seen.add(Signal.name(report.signal()) + "/" + report.action() + "/was " + report.originalAction());
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("signals"), changer, "changer", Tracing.allSignals());
        tracing.attach(e.task(), observer, "observer", Tracing.allSignals());
        e.control(ResumeAction.RESUME);
        TracedProcess p = e.task().process();
        assertEquals("usr1=0 usr2=1 survived\n", Programs.readAll(p.stdout()));
        assertEquals(0, await(p.exitStatus()).code());
        assertEquals(List.of("SIGUSR2/DELIVER/was DELIVER", "SIGTERM/IGN/was TERM"), seen);
    }

    /** The SIGNAL_* filters: an engine asking only for SIGNAL (handled signals) is not told of a default-action SIGTERM. */
    @Test
    void signalFiltersFollowTheTasksDisposition() {
        Recorder handledOnly = new Recorder();
        Recorder termOnly = new Recorder();
        Engine e = tracing.launch(Programs.spec("signals"), handledOnly, "handled", EnumSet.of(Event.SIGNAL));
        tracing.attach(e.task(), termOnly, "term", EnumSet.of(Event.SIGNAL_TERM));
        e.control(ResumeAction.RESUME);
        ExitStatus st = await(e.task().process().exitStatus());
        assertEquals(Signal.SIGTERM, st.signal(), "nobody intervened: SIGTERM kills it");
        assertEquals(List.of("SIGNAL:SIGUSR1"), handledOnly.events());
        assertEquals(List.of("SIGNAL:SIGTERM"), termOnly.events());
    }

    /** HOLD keeps the signal queued: it comes back, and is delivered once when no engine holds it. */
    @Test
    void aHeldSignalIsReportedAgainAndDeliveredOnce() throws Exception {
        AtomicInteger usr1Reports = new AtomicInteger();
        EngineOps holder = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.signal() == Signal.SIGUSR1 && usr1Reports.incrementAndGet() == 1) {
                    report.setHold(true);
                } else if (report.signal() == Signal.SIGTERM) {
                    report.setAction(SignalAction.IGN);
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("signals"), holder, "holder", Tracing.allSignals());
        e.control(ResumeAction.RESUME);
        TracedProcess p = e.task().process();
        assertEquals("usr1=1 usr2=0 survived\n", Programs.readAll(p.stdout()));
        assertEquals(2, usr1Reports.get());
    }

    /**
     * A held signal is queued again by the service (tgkill), but the program still gets the
     * original siginfo: the sigqueue()ing child's pid, SI_QUEUE and its value, not SI_TKILL from us.
     */
    @Test
    void aHeldSignalKeepsItsSendersSiginfo() throws Exception {
        List<Integer> codes = new CopyOnWriteArrayList<>();
        EngineOps holder = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.signal() == Signal.SIGUSR1) {
                    codes.add(report.info().code());
                    report.setHold(codes.size() == 1);
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("sigsender"), holder, "holder", EnumSet.of(Event.SIGNAL));
        e.control(ResumeAction.RESUME);
        TracedProcess p = e.task().process();
        String out = Programs.readAll(p.stdout());
        assertTrue(out.startsWith("code=-1 pid="), out); // SI_QUEUE
        assertTrue(out.endsWith(" from_child=1 value=4242\n"), out);
        assertEquals(List.of(-1, -1), codes, "the second report shows the original siginfo too");
        assertEquals(0, await(p.exitStatus()).code());
    }

    /**
     * A signal injected at an INTERRUPT report arrives as the kernel gives a signal a debugger
     * resumes with: SI_USER from the tracer's pid (not SI_TKILL, the tgkill that queued it).
     */
    @Test
    void anInjectedSignalComesAsSiUserFromTheTracer() throws Exception {
        long ready = BreakpointTest.symbol(Programs.path("sigsender"), "ready");
        java.util.concurrent.CompletableFuture<Long> stopped = new java.util.concurrent.CompletableFuture<>();
        EngineOps injector = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                stopped.complete(address);
                return ResumeAction.STOP;
            }

            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.originalAction() == SignalAction.REPORT) {
                    report.deliver(Signal.SIGUSR1);
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("sigsender", "wait"), injector, "injector",
                EnumSet.of(Event.SIGNAL, Event.BREAKPOINT));
        e.insertBreakpoint(ready);
        e.control(ResumeAction.RESUME);
        assertEquals(ready, (long) await(stopped));
        e.control(ResumeAction.INTERRUPT);
        String out = Programs.readAll(e.task().process().stdout());
        assertEquals("code=0 pid=" + ProcessHandle.current().pid() + " from_child=0 value=0\n", out);
    }

    @Test
    void forkChildrenAreNotFollowedByDefault() {
        Recorder r = new Recorder();
        Engine e = tracing.launch(Programs.spec("forker"), r, "parent", EnumSet.of(Event.CLONE, Event.DEATH));
        e.control(ResumeAction.RESUME);
        assertEquals(15, await(e.task().process().exitStatus()).code());
        assertEquals(List.of("DEATH:exited with 15"), r.events());
    }

    @Test
    void forkChildrenAreFollowedWhenAsked() {
        Recorder child = new Recorder();
        List<Integer> childPids = new CopyOnWriteArrayList<>();
        EngineOps parent = new EngineOps() {
            @Override
            public ResumeAction clone(Engine engine, Task p, Task c, CloneKind kind) {
                assertEquals(CloneKind.FORK, kind);
                childPids.add(c.process().pid());
                tracing.attach(c, child, "child", EnumSet.of(Event.DEATH, Event.EXIT));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("forker"), parent, "parent", EnumSet.of(Event.CLONE));
        e.task().process().setFollowForks(true);
        e.control(ResumeAction.RESUME);
        assertEquals(15, await(e.task().process().exitStatus()).code());
        assertEquals(1, childPids.size());
        assertTrue(childPids.get(0) != e.task().tid());
        assertEquals(List.of("EXIT:" + childPids.get(0), "DEATH:exited with 5"), child.events());
    }

    /** An examination shows the stopped task and becomes stale (utrace's -EAGAIN) once it resumes. */
    @Test
    void examinationReadsTheStoppedTaskAndGoesStaleOnResume() {
        Engine e = tracing.launch(Programs.spec("exit7"), new Recorder(), "x", EnumSet.of(Event.EXIT));
        Examination x = e.examine();
        long pc = x.registers().pc();
        byte[] code = x.read(pc, 16);
        assertEquals(16, code.length);
        assertEquals(List.of(boxed(code)), List.of(boxed(Memory.readFully(e.task().tid(), pc, 16))));
        assertTrue(x.fpRegisters().length >= 512);
        e.control(ResumeAction.RESUME);
        assertFalse(x.valid());
        assertThrows(StaleExaminationException.class, x::registers);
        assertEquals(7, await(e.task().process().exitStatus()).code());
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> l = new java.util.ArrayList<>();
        for (byte x : b) {
            l.add(x);
        }
        return l;
    }
}
