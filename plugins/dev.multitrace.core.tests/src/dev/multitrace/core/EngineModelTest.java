package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.Signal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The seed scenarios of the engine model, each on a real traced process. */
class EngineModelTest extends ServiceTest {




    /** Seed 001: a child single-stepped once and then detached runs on and exits with its own status. */
    @Test
    void singleStepThenDetachRunsOnWithItsOwnStatus0x23() {
        CompletableFuture<Void> stepped = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction step(Engine engine, Task task) {
                stepped.complete(null);
                return ResumeAction.STOP;
            }
        };
        Engine e = tracing.launch(Programs.spec("exit23"), ops, "stepper", EnumSet.of(Event.STEP));
        TracedProcess p = e.task().process();
        assertEquals(Result.OK, e.control(ResumeAction.SINGLESTEP));
        await(stepped);
        assertEquals(Result.OK, e.barrier(Duration.ofSeconds(20)), "the STEP callback has returned");
        assertEquals(Result.OK, e.detach());
        ExitStatus st = await(p.exitStatus());
        assertEquals(0x23, st.code(), "exit status after detach: " + st);
    }

    /** Seed 001 "utrace unwanted traps": the signal watcher never sees the stepper's trap, the tracee never gets SIGTRAP. */
    @Test
    void stepTrapsReachNeitherTheSignalWatcherNorTheTracee() {
        AtomicInteger steps = new AtomicInteger();
        EngineOps stepper = new EngineOps() {
            @Override
            public ResumeAction step(Engine engine, Task task) {
                return steps.incrementAndGet() < 300 ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            }
        };
        Engine a = tracing.launch(Programs.spec("trapcount"), stepper, "stepper", EnumSet.of(Event.STEP));
        Recorder watcher = new Recorder();
        tracing.attach(a.task(), watcher, "watcher", Tracing.allSignals());
        a.control(ResumeAction.SINGLESTEP);
        ExitStatus st = await(a.task().process().exitStatus());
        assertEquals(300, steps.get(), "every step reported to the stepper");
        assertEquals(0, st.code(), "the tracee got no SIGTRAP (it exits 99 if it did): " + st);
        assertFalse(watcher.events().stream().anyMatch(s -> s.contains("SIGTRAP")), watcher.events().toString());
    }

    /** Engine A holds STOP, engine B resumes: the task stays stopped until A resumes. B's STOP completes at once. */
    @Test
    void oneEnginesResumeNeverReleasesAnothersStop() {
        Recorder bOps = new Recorder();
        Engine a = tracing.launch(Programs.spec("exit7"), new Recorder(), "A", EnumSet.of(Event.QUIESCE));
        Task t = a.task();
        Engine b = tracing.attach(t, bOps, "B", EnumSet.of(Event.QUIESCE));

        // B asks STOP while A already holds the task: complete at once, with a QUIESCE report.
        assertEquals(Result.OK, b.control(ResumeAction.STOP));
        assertTrue(bOps.events().contains("QUIESCE:QUIESCE"), bOps.events().toString());

        assertEquals(Result.OK, b.control(ResumeAction.RESUME));
        assertFalse(b.holdsStop());
        assertTrue(t.holders().contains(a), "A still holds it");
        assertTrue(t.state().startsWith("held by A"), t.state());
        assertEquals('t', Programs.state(t.tid()), "still in a tracing stop after B's resume");
        assertFalse(t.process().exitStatus().isDone());

        assertEquals(Result.OK, a.control(ResumeAction.RESUME));
        assertEquals(7, await(t.process().exitStatus()).code());
    }

    /** Seeds 001/004: setEvents(0) and detach while the engine's callback runs answer IN_PROGRESS; after barrier() no callback. */
    @Test
    void setEventsAndDetachDuringACallbackAreInProgressAndBarrierEndsCallbacks() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        EngineOps blocking = new EngineOps() {
            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (calls.incrementAndGet() == 1) {
                    inside.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS); // a test-only wait: holds the callback open
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return ResumeAction.RESUME;
            }
        };
        Engine launcher = tracing.launch(Programs.spec("syscalls", "2000"), new Recorder(), "launcher", Set.of());
        Engine e = tracing.attach(launcher.task(), blocking, "blocking", EnumSet.of(Event.SYSCALL_ENTRY));
        launcher.control(ResumeAction.RESUME);
        assertTrue(inside.await(20, TimeUnit.SECONDS));

        assertEquals(Result.IN_PROGRESS, e.setEvents(Set.of()));
        release.countDown();
        assertEquals(Result.OK, e.barrier(Duration.ofSeconds(20)));
        int after = calls.get();
        assertEquals(0, await(launcher.task().process().exitStatus()).code());
        assertEquals(after, calls.get(), "no callback after setEvents(0) and barrier()");
    }

    @Test
    void detachDuringACallbackIsInProgressAndNoCallbackFollowsTheBarrier() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        EngineOps blocking = new EngineOps() {
            @Override
            public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
                if (calls.incrementAndGet() == 1) {
                    inside.countDown();
                    try {
                        release.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return ResumeAction.RESUME;
            }
        };
        Recorder other = new Recorder();
        Engine launcher = tracing.launch(Programs.spec("syscalls", "2000"), other, "launcher", EnumSet.of(Event.EXIT));
        Engine e = tracing.attach(launcher.task(), blocking, "blocking", EnumSet.of(Event.SYSCALL_EXIT, Event.REAP));
        launcher.control(ResumeAction.RESUME);
        assertTrue(inside.await(20, TimeUnit.SECONDS));
        assertEquals(Result.IN_PROGRESS, e.detach());
        release.countDown();
        assertEquals(Result.OK, e.barrier(Duration.ofSeconds(20)));
        int after = calls.get();
        assertEquals(0, await(launcher.task().process().exitStatus()).code());
        assertEquals(after, calls.get(), "no callback (not even REAP) after detach and barrier()");
        assertEquals(1, other.count("EXIT"), "the other engine is unaffected");
    }

    /** INTERRUPT of a task blocked in read(): a signal report where SIGUSR1 is injected; read restarts after. */
    @Test
    void interruptInReadGivesASignalReportForInjectionAndReadRestarts() throws Exception {
        CompletableFuture<Void> reported = new CompletableFuture<>();
        CompletableFuture<Void> entered = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (report.number() == 0 && report.arg(0) == 0) { // read(0, ...): not the loader's reads
                    entered.complete(null);
                }
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.action() == SignalAction.REPORT) {
                    report.deliver(Signal.SIGUSR1);
                    reported.complete(null);
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("readwait"), ops, "interrupter",
                EnumSet.of(Event.SYSCALL_ENTRY, Event.SIGNAL));
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        await(entered);
        e.setEvents(EnumSet.of(Event.SIGNAL));
        assertEquals(Result.IN_PROGRESS, e.control(ResumeAction.INTERRUPT));
        await(reported);
        p.stdin().write("hello\n".getBytes(StandardCharsets.UTF_8));
        p.stdin().flush();
        String out = Programs.readAll(p.stdout());
        assertEquals("got=hello usr1=1\n", out, () -> "stderr: " + readQuietly(p) + ", " + await(p.exitStatus()));
        assertEquals(0, await(p.exitStatus()).code());
    }

    private static String readQuietly(TracedProcess p) {
        try {
            return Programs.readAll(p.stderr());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Seed 002: SIGSTOP/SIGCONT are reported as job control; an engine's resume does not end the group stop. */
    @Test
    void jobControlStopAndContinueAreReportedAndResumeDoesNotBreakTheGroupStop() throws Exception {
        CompletableFuture<Void> jstop = new CompletableFuture<>();
        CompletableFuture<Void> jcont = new CompletableFuture<>();
        Recorder ops = new Recorder() {
            @Override
            public ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
                super.jctl(engine, task, stopped, signal);
                (stopped ? jstop : jcont).complete(null);
                return ResumeAction.RESUME;
            }
        };
        Set<Event> events = EnumSet.of(Event.JCTL);
        events.addAll(Tracing.allSignals());
        Engine e = tracing.launch(Programs.spec("readwait"), ops, "jctl", events);
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        dev.multitrace.linux.LibC.kill(p.pid(), Signal.SIGSTOP);
        await(jstop);
        assertEquals(Result.OK, e.control(ResumeAction.RESUME), "an engine resumes...");
        assertTrue(e.task().state().startsWith("job control stop"), "...and the group stop stays: " + e.task().state());
        assertEquals('t', Programs.state(p.pid()));
        dev.multitrace.linux.LibC.kill(p.pid(), Signal.SIGCONT);
        await(jcont);
        p.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
        p.stdin().flush();
        assertEquals("got=go usr1=0\n", Programs.readAll(p.stdout()));
        assertEquals(0, await(p.exitStatus()).code());
        assertTrue(ops.events().indexOf("SIGNAL:SIGSTOP") < ops.events().indexOf("JCTL:stop"), ops.events().toString());
        assertTrue(ops.events().indexOf("JCTL:stop") < ops.events().indexOf("JCTL:continue"), ops.events().toString());
        assertTrue(ops.events().contains("SIGNAL:SIGCONT"), ops.events().toString());
    }

    /** Syscall entry ABORT: the call is not run and the task sees the engine's value. */
    @Test
    void abortedSyscallReturnsTheEnginesValue() throws Exception {
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (report.number() == 110) { // getppid
                    report.abort(4242);
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("syscalls", "3"), ops, "abort", EnumSet.of(Event.SYSCALL_ENTRY));
        e.control(ResumeAction.RESUME);
        assertEquals("ppid=4242\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
    }

    /** Syscall stops only while some engine wants them: entries and exits pair up exactly. */
    @Test
    void syscallEntryAndExitArePairedAndOrderedNewestFirstAtEntry() {
        java.util.List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        class Named implements EngineOps {
            final String name;

            Named(String name) {
                this.name = name;
            }

            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (report.number() == 110) {
                    order.add(name + ">");
                }
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
                if (report.number() == 110) {
                    order.add(name + "<");
                }
                return ResumeAction.RESUME;
            }
        }
        Set<Event> sys = EnumSet.of(Event.SYSCALL_ENTRY, Event.SYSCALL_EXIT);
        Engine first = tracing.launch(Programs.spec("syscalls", "50"), new Named("1"), "1", sys);
        tracing.attach(first.task(), new Named("2"), "2", sys);
        first.control(ResumeAction.RESUME);
        assertEquals(0, await(first.task().process().exitStatus()).code());
        assertEquals(200, order.size(), order.toString());
        for (int i = 0; i < 200; i += 4) {
            assertEquals(java.util.List.of("2>", "1>", "1<", "2<"), order.subList(i, i + 4), "entry newest first, exit in attach order");
        }
    }

    /** A callback that throws is reported and counts as RESUME; the other engines and the task are unaffected. */
    @Test
    void aThrowingCallbackIsReportedAndHarmsNobody() {
        java.util.List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        tracing.onCallbackError(errors::add);
        EngineOps thrower = new EngineOps() {
            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                throw new IllegalStateException("boom");
            }
        };
        Recorder counter = new Recorder();
        Engine e = tracing.launch(Programs.spec("syscalls", "20"), thrower, "thrower", EnumSet.of(Event.SYSCALL_ENTRY));
        tracing.attach(e.task(), counter, "counter", EnumSet.of(Event.SYSCALL_ENTRY));
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertTrue(counter.count("SYSCALL_ENTRY:110") >= 20, counter.events().toString());
        assertEquals(counter.count("SYSCALL_ENTRY"), errors.size(), "one report per throw");
        assertTrue(errors.get(0).getMessage().contains("boom"));
    }
}
