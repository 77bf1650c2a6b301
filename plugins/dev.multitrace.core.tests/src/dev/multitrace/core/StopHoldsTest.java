package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared hold bookkeeping ({@link StopHolds}) on real threads: a traced program stopped and let
 * go through it, the QUIESCE racing the {@code control} call's answer, and the ordering rules
 * hammered by two threads playing the client and the tracer thread.
 */
class StopHoldsTest {

    private final Tracing tracing = Tracing.start();

    @AfterEach
    void close() {
        tracing.close();
    }

    /**
     * The protocol with the service, on a program blocked in read() (readwait): request, control(STOP)
     * answers IN_PROGRESS, the QUIESCE on the tracer thread completes the hold and wakes the
     * waiter; release, control(RESUME), and the program finishes by itself.
     */
    @Test
    void aRequestedStopIsHeldByItsQuiesceAndReleasedBeforeTheResume() throws Exception {
        Object monitor = new Object();
        StopHolds<Integer, String> holds = new StopHolds<>(monitor);
        AtomicReference<ResumeAction> quiesceAnswer = new AtomicReference<>();
        AtomicInteger completed = new AtomicInteger();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction quiesce(Engine engine, Task task, Event event) {
                if (holds.stopCompleted(task.tid(), "suspended")) {
                    completed.incrementAndGet();
                }
                ResumeAction a = holds.keep(task.tid(), ResumeAction.RESUME);
                quiesceAnswer.set(a);
                return a;
            }
        };
        Engine e = tracing.launch(Programs.spec("readwait"), ops, "holder", EnumSet.of(Event.QUIESCE));
        int tid = e.task().tid();
        assertTrue(holds.hold(tid, "launched"), "the launch hands the thread over held");
        assertFalse(holds.hold(tid, "again"), "a thread held already keeps its first reason");
        assertEquals("launched", holds.reason(tid));

        assertEquals("launched", holds.release(tid));
        e.control(ResumeAction.RESUME);
        Thread.sleep(200); // in read() by now
        assertEquals(ResumeAction.RESUME, holds.keep(tid, ResumeAction.RESUME), "not held, nothing requested");

        assertTrue(holds.requestStop(tid));
        assertEquals(ResumeAction.STOP, holds.keep(tid, ResumeAction.RESUME), "a requested stop is kept by every callback");
        quiesceAnswer.set(null); // the answer looked at below is the one of this stop's QUIESCE
        Result r = e.control(ResumeAction.STOP);
        assertEquals(Result.IN_PROGRESS, r, "the thread was running");
        assertFalse(holds.stopAnswered(tid, r, "suspended"), "IN_PROGRESS: the QUIESCE holds it, not the answer");
        assertTrue(holds.awaitStops(List.of(tid), 20_000), "the QUIESCE completed the stop: " + holds);
        assertTrue(holds.isHeld(tid));
        assertFalse(holds.isStopRequested(tid));
        assertEquals("suspended", holds.reason(tid));
        // awaitStops wakes inside stopCompleted, before the callback counts and answers: wait for its answer.
        long end = System.nanoTime() + 5_000_000_000L;
        while (quiesceAnswer.get() == null && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertEquals(ResumeAction.STOP, quiesceAnswer.get());
        assertEquals(1, completed.get());
        assertTrue(e.examine().valid(), "held: the engine may examine it");

        // Let go: release first, then control; the program reads its line and exits 0.
        assertEquals("suspended", holds.release(tid));
        e.control(ResumeAction.RESUME);
        e.task().process().stdin().write("quit\n".getBytes(StandardCharsets.US_ASCII));
        e.task().process().stdin().flush();
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertFalse(holds.anyHeld());
    }

    /** control(STOP) on a thread another engine holds answers OK: the stop completes with the answer. */
    @Test
    void aStopAnsweredOkIsHeldAtOnce() throws Exception {
        StopHolds<Integer, String> holds = new StopHolds<>(new Object());
        Engine launcher = tracing.launch(Programs.spec("readwait"), new Recorder(), "launcher", EnumSet.noneOf(Event.class));
        Engine e = tracing.attach(launcher.task(), new EngineOps() {
        }, "second", EnumSet.noneOf(Event.class));
        int tid = e.task().tid();
        assertTrue(holds.requestStop(tid));
        Result r = e.control(ResumeAction.STOP);
        assertEquals(Result.OK, r, "the launcher holds it: the stop completes at once");
        assertTrue(holds.stopAnswered(tid, r, "suspended"));
        assertTrue(holds.isHeld(tid));
        assertFalse(holds.requestStop(tid), "held: nothing to ask");
        assertEquals("suspended", holds.release(tid));
        e.control(ResumeAction.RESUME);
        e.detach();
        launcher.control(ResumeAction.RESUME);
        launcher.task().process().stdin().write("x\n".getBytes(StandardCharsets.US_ASCII));
        launcher.task().process().stdin().close();
        assertEquals(0, await(launcher.task().process().exitStatus()).code());
    }

    /** A stop the service cannot make (the thread is gone) drops the request and wakes the waiters. */
    @Test
    void aFailedStopDropsTheRequestAndWakesTheWaiter() throws Exception {
        StopHolds<Integer, String> holds = new StopHolds<>(new Object());
        holds.requestStop(7);
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Boolean> result = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            waiting.countDown();
            try {
                result.set(holds.awaitStops(List.of(7), 20_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waiter.start();
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        Thread.sleep(50);
        assertFalse(holds.stopAnswered(7, Result.NO_SUCH_TASK, "x"));
        waiter.join(5_000);
        assertEquals(Boolean.TRUE, result.get());
        assertFalse(holds.isHeld(7));
        assertFalse(holds.isStopRequested(7));
        assertTrue(holds.awaitStops(List.of(8), 0), "nothing asked of thread 8: nothing to wait for");
        assertTrue(holds.requestStop(8));
        assertFalse(holds.awaitStops(List.of(8), 10), "a request nobody completes times out");
    }

    /**
     * Releasing a thread that is not held leaves its request: the service still owes the QUIESCE,
     * which must find it (or the thread would stay stopped with nobody holding it).
     */
    @Test
    void releaseLeavesAPendingRequestForItsQuiesce() {
        StopHolds<Integer, String> holds = new StopHolds<>(new Object());
        holds.requestStop(1);
        assertNull(holds.release(1));
        assertTrue(holds.isStopRequested(1));
        assertTrue(holds.stopCompleted(1, "suspended"));
        assertFalse(holds.stopCompleted(1, "again"), "one QUIESCE, one hold");
        assertFalse(holds.stopCompleted(2, "unasked"), "a QUIESCE nobody asked for holds nothing");
        assertFalse(holds.release(1, "other reason"));
        assertTrue(holds.release(1, "suspended"));
    }

    /**
     * Owner-monitor waits: a thread waiting on the owner's monitor for its own condition wakes
     * when another thread holds, as the GDB stub's protocol thread waits for stops and packets at once.
     */
    @Test
    void aHoldWakesWhoeverWaitsOnTheOwnersMonitor() throws Exception {
        Object monitor = new Object();
        StopHolds<Integer, String> holds = new StopHolds<>(monitor);
        CountDownLatch woke = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            synchronized (monitor) {
                while (!holds.isHeld(3)) {
                    try {
                        monitor.wait(); // no timeout: only a notifyAll ends it
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            woke.countDown();
        });
        waiter.setDaemon(true);
        waiter.start();
        Thread.sleep(100);
        holds.hold(3, "event");
        assertTrue(woke.await(5, TimeUnit.SECONDS), "the hold woke the waiter");
    }

    /**
     * Two threads, as the client and the tracer thread: the client requests stops and releases,
     * the tracer completes stops, 20,000 rounds, the QUIESCE coming before or after control's
     * answer. Invariants: never held and requested at once; each requested stop held exactly once
     * (by its answer or by its QUIESCE, never both); everything released at the end.
     */
    @Test
    void clientAndTracerThreadsRacingKeepTheInvariants() throws Exception {
        Object monitor = new Object();
        StopHolds<Integer, String> holds = new StopHolds<>(monitor);
        int rounds = 20_000;
        AtomicInteger holdsMade = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.BlockingQueue<Integer> quiesces = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread tracer = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    int tid = quiesces.take();
                    if (holds.stopCompleted(tid, "q")) {
                        holdsMade.incrementAndGet();
                    }
                    synchronized (monitor) {
                        if (holds.isHeld(tid) && holds.isStopRequested(tid)) {
                            throw new AssertionError("held and requested at once");
                        }
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "tracer");
        tracer.start();
        for (int i = 0; i < rounds; i++) {
            int tid = 100 + (i % 3);
            assertTrue(holds.requestStop(tid), "round " + i + ": " + holds);
            quiesces.add(tid); // the QUIESCE may run before or after the answer below
            Result answer = i % 5 == 0 ? Result.OK : Result.IN_PROGRESS;
            if (holds.stopAnswered(tid, answer, "ok")) {
                holdsMade.incrementAndGet();
            }
            assertTrue(holds.awaitStops(List.of(tid), 20_000), "round " + i + ": " + holds);
            assertTrue(holds.isHeld(tid));
            assertTrue(holds.release(tid) != null);
        }
        tracer.join(30_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertEquals(rounds, holdsMade.get(), "each stop held exactly once");
        assertFalse(holds.anyHeld());
    }
}
