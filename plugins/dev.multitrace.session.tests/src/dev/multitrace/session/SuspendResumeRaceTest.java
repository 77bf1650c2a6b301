package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.EngineOps;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Result;

import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A Suspend (the Debug view's button, one thread) racing a Resume (another thread) while another engine holds the
 * program's thread stopped: the debugger's {@code control(STOP)} answers OK at once there, and a Resume that cancels
 * the request around that call must not leave the debugger's STOP vote behind, or the thread stays stopped, held by
 * nobody, once the other engine lets it go ({@link dev.multitrace.core.StopHolds}'s protocol). The service reports
 * such a stop to the debugger inline (a QUIESCE inside the {@code control} call, on the tracer thread), and that
 * report takes the vote back when it finds the request cancelled. Each round starts both calls together, the
 * Resume after a random delay of up to 300 µs (the control call's hand-over to the tracer thread takes about that
 * long), and then checks: the debugger holds the thread exactly when its engine votes STOP.
 */
class SuspendResumeRaceTest {

    static final int ROUNDS = Integer.getInteger("multitrace.suspendRace.rounds", 400);

    @Test
    void aSuspendRacingAResumeWhileAnotherEngineHoldsTheThreadLeavesNoStopVoteBehind() throws Exception {
        DebugSession s = DebugSession.launch(Samples.spec("loop"), true);
        int pid = s.pid();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Stops stops = new Stops();
            s.addListener(stops);
            s.start(DebugSession.StopMode.MAIN);
            stops.next(pid, StopReason.Kind.MAIN);
            AttachedEngine holder = s.attachEngine("holder", new EngineOps() {
            }, Set.of());
            assertEquals(Result.OK, holder.hold(pid), "the holder holds the stopped thread at once");
            s.resumeAll(); // the debugger lets go; the holder keeps the thread stopped
            assertFalse(s.engine(pid).holdsStop(), "the debugger's vote is RESUME after its resume");

            Random random = new Random(14);
            int suspendWon = 0;
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                long delayNanos = random.nextInt(300_000);
                Future<?> suspend = two.submit(() -> {
                    together.await();
                    s.suspend(pid);
                    return null;
                });
                Future<?> resume = two.submit(() -> {
                    together.await();
                    long until = System.nanoTime() + delayNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    s.resumeAll();
                    return null;
                });
                suspend.get(30, TimeUnit.SECONDS);
                resume.get(30, TimeUnit.SECONDS);
                boolean held = s.isHeld(pid);
                assertEquals(held, s.engine(pid).holdsStop(), "round " + round + " (Resume after " + delayNanos / 1000
                        + " µs): the debugger " + (held ? "holds the thread but does not vote STOP"
                                : "does not hold the thread but still votes STOP: it would stay stopped for nobody"));
                if (held) {
                    suspendWon++;
                    s.resumeAll();
                    assertFalse(s.engine(pid).holdsStop(), "round " + round + ": the resume took the vote back");
                }
            }
            System.out.printf("SuspendResumeRaceTest: %d rounds, the Suspend came last in %d%n", ROUNDS, suspendWon);
            assertTrue(suspendWon > 0 && suspendWon < ROUNDS, "both orders happened (" + suspendWon + " of " + ROUNDS
                    + " rounds ended suspended): the calls did race");

            assertEquals(Result.OK, holder.release(pid));
            ExitStatus status = s.process().exitStatus().get(30, TimeUnit.SECONDS);
            assertTrue(status.exited(), status::toString);
            assertEquals(7, status.code(), "loop.c ran to its end once the holder let it go");
        } finally {
            two.shutdownNow();
            if (!s.isEnded()) {
                s.terminate();
            }
        }
    }
}
