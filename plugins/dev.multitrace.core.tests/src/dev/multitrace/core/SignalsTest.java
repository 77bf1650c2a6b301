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
