package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.testing.TestPrograms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Issue 15's newcomer race on the session, without a workbench: a multi-threaded program (spin.c:
 * three threads calling {@code tick()} from a loop), a line breakpoint in {@code tick}, the stop at
 * it, then Terminate, either right at the stop or just after the resume that starts the step-over
 * of the breakpoint while the other threads run. The tracer thread used to block for good in a
 * {@code waitpid} of one thread (the step-over) that the process's death held back. Each iteration
 * must end with SIGKILL's status within a second; the worst time is printed.
 */
class TerminateRaceTest {

    static final int ITERATIONS = Integer.getInteger("multitrace.terminateRace.iterations", 30);
    static final long LIMIT_MS = 1000;

    /** The first BREAKPOINT stop of any thread. */
    private static final class FirstBreakpoint implements SessionListener {
        final BlockingQueue<Integer> stops = new LinkedBlockingQueue<>();

        @Override
        public void threadStopped(int tid, StopReason reason) {
            if (reason.kind() == StopReason.Kind.BREAKPOINT) {
                stops.add(tid);
            }
        }
    }

    @Test
    void terminateAtABreakpointOrDuringItsStepOverWithOtherThreadsRunningEndsTheSessionAtOnce() throws Exception {
        Random random = new Random(15);
        List<Long> times = new ArrayList<>();
        int duringStepOver = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            DebugSession s = DebugSession.launch(Samples.spec("spin"), true);
            int pid = s.pid();
            try {
                FirstBreakpoint stops = new FirstBreakpoint();
                s.addListener(stops);
                CompletableFuture<ExitStatus> ended = new CompletableFuture<>();
                s.addListener(new SessionListener() {
                    @Override
                    public void sessionEnded(ExitStatus status) {
                        ended.complete(status);
                    }
                });
                Stops main = new Stops();
                s.addListener(main);
                s.start(DebugSession.StopMode.MAIN);
                main.next(pid, StopReason.Kind.MAIN);
                s.removeListener(main);
                long[] at = s.symbols().addressesFor("spin.c", TestPrograms.mark("spin", "tick"));
                assertTrue(at.length > 0, "spin.c's tick line has an address");
                s.addBreakpoint(new CodeBreakpoint("spin.c:tick", at, null, 0, Set.of(), null));
                s.resumeAll();
                Integer tid = stops.stops.poll(30, TimeUnit.SECONDS);
                assertNotNull(tid, "iteration " + i + ": the breakpoint hits");
                boolean resume = i % 3 != 0; // one in three at the stop itself, the others in the step-over
                if (resume) {
                    s.resumeAll(); // the step-over of the breakpoint starts; the other threads run
                    duringStepOver++;
                    long spinUntil = System.nanoTime() + random.nextInt(300) * 1000L; // 0-300 µs later
                    while (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                    }
                }
                long t0 = System.nanoTime();
                s.terminate();
                ExitStatus status = ended.get(10, TimeUnit.SECONDS);
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                times.add(ms);
                assertNotNull(status, "iteration " + i + ": the session ended with the program's status");
                assertEquals(9, status.signal(), "iteration " + i + ": killed by SIGKILL: " + status);
                assertEquals(137, 128 + status.signal());
                assertTrue(ms < LIMIT_MS, "iteration " + i + ": ended " + ms + " ms after Terminate");
                assertTrue(s.isEnded());
                assertEquals(status, s.process().exitStatus().get(1, TimeUnit.SECONDS));
                assertFalse(alive(pid), "iteration " + i + ": process " + pid + " is gone (reaped, not a zombie)");
            } finally {
                if (!s.isEnded()) {
                    s.terminate();
                }
            }
        }
        long worst = times.stream().mapToLong(Long::longValue).max().orElseThrow();
        double mean = times.stream().mapToLong(Long::longValue).average().orElseThrow();
        String summary = String.format("TerminateRaceTest: %d iterations (%d during the step-over), Terminate to session end: worst %d ms, mean %.1f ms",
                ITERATIONS, duringStepOver, worst, mean);
        System.out.println(summary);
        Path out = Path.of(System.getProperty("multitrace.report.dir", "target"), "terminate-race.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, summary + "\n" + times + "\n");
    }

    /** Alive and not a zombie: a reaped process has no /proc entry. */
    private static boolean alive(int pid) {
        // The session's end comes with the reap (the service waits for the leader last): give the
        // kernel's bookkeeping a moment at most.
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (Files.exists(Path.of("/proc/" + pid)) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return Files.exists(Path.of("/proc/" + pid));
    }
}
