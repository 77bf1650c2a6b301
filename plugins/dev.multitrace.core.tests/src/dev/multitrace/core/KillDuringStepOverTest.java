package dev.multitrace.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcessInfo;
import dev.multitrace.linux.Signal;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The newcomer's hang (issue 15), headless: two threads, a breakpoint in a function called from a
 * loop, and SIGKILL (Terminate) while the service steps over it. The tracer used to wait for the
 * stepping thread alone while the thread it had paused held the process's death back, and from
 * then on every request blocked. Each iteration kills at another moment: from outside while
 * step-overs run, and from the breakpoint callback itself, just before a step-over starts.
 */
class KillDuringStepOverTest extends ServiceTest {

    private static final int ITERATIONS = Integer.getInteger("multitrace.killstepover.iterations", 150);
    private static final long ANSWER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Follows every thread; counts hits; writes down each engine's last callbacks; may kill in a hit. */
    static final class Terminator implements EngineOps {
        final Tracing tracing;
        final AtomicInteger hits = new AtomicInteger();
        final Map<Engine, List<String>> lives = new ConcurrentHashMap<>();
        volatile int killAtHit = -1;

        Terminator(Tracing tracing) {
            this.tracing = tracing;
        }

        void track(Engine e) {
            lives.put(e, new CopyOnWriteArrayList<>());
        }

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            if (hits.incrementAndGet() == killAtHit) {
                LibC.kill(task.process().pid(), Signal.SIGKILL); // Terminate, as the step-over starts
            }
            return ResumeAction.RESUME;
        }

        @Override
        public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
            track(tracing.attach(child, this, "debugger", MASK));
            return ResumeAction.RESUME;
        }

        @Override
        public ResumeAction death(Engine engine, Task task, ExitStatus status) {
            lives.get(engine).add("DEATH");
            return ResumeAction.RESUME;
        }

        @Override
        public void reap(Engine engine, Task task) {
            lives.get(engine).add("REAP");
        }
    }

    static final EnumSet<Event> MASK = EnumSet.of(Event.BREAKPOINT, Event.CLONE, Event.DEATH, Event.REAP);

    @Test
    void sigkillDuringStepOversNeverHangsTheTracer() throws Exception {
        String bin = Programs.path("bpkill");
        long hit = BreakpointTest.symbol(bin, "hit");
        Random random = new Random(Long.getLong("multitrace.killstepover.seed", System.nanoTime()));
        for (int i = 0; i < ITERATIONS; i++) {
            boolean both = random.nextBoolean();
            boolean fromCallback = random.nextInt(3) == 0;
            String what = "iteration " + i + (both ? " (both threads hit)" : " (main hits)")
                    + (fromCallback ? ", killed in the breakpoint callback" : ", killed from outside");
            Terminator t = new Terminator(tracing);
            Engine e = tracing.launch(Programs.spec("bpkill", both ? "both" : "main"), t, "debugger", MASK);
            t.track(e);
            TracedProcess p = e.task().process();
            e.insertBreakpoint(hit);
            int killAt = 1 + random.nextInt(300);
            if (fromCallback) {
                t.killAtHit = killAt;
            }
            e.control(ResumeAction.RESUME);
            if (!fromCallback) {
                awaitHits(t, killAt, what);
                busyWaitMicros(random.nextInt(200)); // a moment inside some step-over
                LibC.kill(p.pid(), Signal.SIGKILL);
            }
            assertAnswersWithin100ms(p.pid(), what);
            ExitStatus st;
            try {
                st = p.exitStatus().get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException hang) {
                fail(what + ": no exit status 5 s after SIGKILL; threads: " + threadStates(p.pid()));
                return;
            }
            assertEquals(Signal.SIGKILL, st.signal(), what + ": " + st);
            assertTrue(t.lives.size() >= 2, what + ": an engine on each thread: " + t.lives.size());
            for (var life : t.lives.entrySet()) {
                assertEquals(List.of("DEATH", "REAP"), life.getValue(), what + ": " + life.getKey());
            }
            // The exit status completes at the leader's death, a moment before the process is dropped.
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (!tracing.processes().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(1);
            }
            assertTrue(tracing.processes().isEmpty(), what + ": the service traces nothing more");
            assertNothingLeft(p.pid(), what);
        }
    }

    private static void awaitHits(Terminator t, int n, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.hits.get() < n) {
            if (System.nanoTime() > end) {
                fail(what + ": only " + t.hits.get() + " hits in 10 s");
            }
            Thread.onSpinWait();
        }
    }

    private static void busyWaitMicros(int micros) {
        long end = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    /** A request (it goes through the tracer thread) answered within 100 ms of the kill. */
    private void assertAnswersWithin100ms(int pid, String what) {
        long t0 = System.nanoTime();
        tracing.task(pid);
        long took = System.nanoTime() - t0;
        assertTrue(took < ANSWER_NANOS, what + ": the tracer answered after " + took / 1000 + " µs");
    }

    /** The process is reaped (no zombie, no thread in a ptrace stop), and the JVM has no zombie child. */
    static void assertNothingLeft(int pid, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            String left = leftovers(pid);
            if (left.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                fail(what + ": left over: " + left);
            }
            Thread.sleep(5);
        }
    }

    private static String leftovers(int pid) {
        StringBuilder b = new StringBuilder();
        if (ProcFs.exists(pid)) {
            b.append("process ").append(pid).append(" still exists: ").append(threadStates(pid)).append(' ');
        }
        int me = LibC.getpid();
        for (ProcessInfo x : ProcFs.processes()) {
            if (x.ppid() == me && x.state() == 'Z') {
                b.append("zombie child ").append(x.pid()).append(' ');
            }
        }
        return b.toString();
    }

    private static String threadStates(int pid) {
        StringBuilder b = new StringBuilder();
        try {
            for (int tid : ProcFs.tasks(pid)) {
                b.append(tid).append('=').append(Programs.state(tid)).append(' ');
            }
        } catch (RuntimeException gone) {
            b.append("(gone)");
        }
        return b.toString();
    }
}
