package dev.multitrace.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syscall tracer as one engine among others: two tracers and a debugger with breakpoints on
 * the same thread, joining a running process and leaving it running.
 */
class SharedTaskTest {

    @TempDir
    Path tmp;

    /** A debugger-like engine: breaks on its breakpoints, holds the thread a moment at the fifth hit. */
    static final class Breaker implements EngineOps {
        final AtomicInteger hits = new AtomicInteger();

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            if (hits.incrementAndGet() == 5) {
                // Hold the thread as a user at a breakpoint would, and let it go from another thread.
                CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(() -> engine.control(ResumeAction.RESUME));
                return ResumeAction.STOP;
            }
            return ResumeAction.RESUME;
        }
    }

    private static List<String> tail(String trace) {
        List<String> l = List.of(trace.split("\n"));
        return l.subList(1, l.size());
    }

    @Test
    void twoTracersAndADebuggerOnOneThreadEachSeeEverything() throws Exception {
        String ticks = Programs.path("ticks");
        Strace.Run alone = Strace.run(List.of(), List.of(ticks));
        try (Tracing tracing = Tracing.start()) {
            Breaker breaker = new Breaker();
            Engine debugger = tracing.launch(LaunchSpec.of(ticks), breaker, "debugger", EnumSet.of(Event.BREAKPOINT));
            StringWriter a = new StringWriter();
            StringWriter b = new StringWriter();
            SyscallTracer first = new SyscallTracer(tracing, a, SyscallFilter.all(), false, false);
            SyscallTracer second = new SyscallTracer(tracing, b, SyscallFilter.all(), false, false);
            first.attach(debugger.task());
            second.attach(debugger.task());
            debugger.insertBreakpoint(Programs.symbol("ticks", "tick"));
            TracedProcess p = debugger.task().process();
            debugger.control(ResumeAction.RESUME);

            ExitStatus st = p.exitStatus().get(60, TimeUnit.SECONDS);
            first.awaitAllGone(Duration.ofSeconds(10));
            second.awaitAllGone(Duration.ofSeconds(10));

            assertEquals(0, st.code());
            assertEquals(20, breaker.hits.get(), "every breakpoint hit reached the debugger");
            assertEquals(a.toString(), b.toString(), "both tracers print the same trace");
            // They joined at the exec stop, after the execve entry: its return is all they saw of it.
            assertTrue(a.toString().startsWith("<... execve resumed>)"), a.toString());
            assertEquals(20, a.toString().lines().filter(l -> l.startsWith("getppid()")).count());
            // Apart from that first line, the trace equals strace's of the same program run alone:
            // the debugger's breakpoints and its stop add nothing and hide nothing.
            assertEquals(TraceText.normalizedTasks(String.join("\n", tail(alone.trace())), a.toString()),
                    TraceText.normalizedTasks(String.join("\n", tail(a.toString())), alone.trace()));
            assertEquals(first.callsSeen(), second.callsSeen());
            assertEquals(first.callsSeen(), first.counters().get("calls"));
            assertEquals(0L, first.counters().get("tasks"), "the tracer's task is gone");
        }
    }

    @Test
    void attachesToARunningProcessAndDetachesLeavingItRunning() throws Exception {
        Path beats = tmp.resolve("beats");
        int pid = Programs.startDetached("heartbeat", beats.toString());
        try {
            waitFor(() -> Files.exists(beats) && sizeOf(beats) > 2);
            StringWriter out = new StringWriter();
            try (Tracing tracing = Tracing.start()) {
                SyscallTracer tracer = new SyscallTracer(tracing, out, SyscallFilter.all(), false, false);
                tracer.attach(pid);
                assertNotEquals("0", Programs.status(pid, "TracerPid"));
                waitFor(() -> out.toString().lines().filter(l -> l.startsWith("getppid()")).count() >= 5);
                tracer.detach();
                assertTrue(tracer.callsSeen() >= 15, "calls seen: " + tracer.callsSeen());

                // Detached, not stopped, still beating.
                assertEquals("0", Programs.status(pid, "TracerPid"));
                long before = sizeOf(beats);
                waitFor(() -> sizeOf(beats) > before + 3);
                String state = Programs.status(pid, "State");
                assertFalse(state.startsWith("t") || state.startsWith("T"), state);
            }
            String trace = out.toString();
            assertTrue(trace.endsWith("\n"), "no line left open: " + trace);
            // The loop's lines equal strace's for the same process.
            Strace.Run expected = straceAttached(pid);
            assertEquals(loopLines(expected.trace()), loopLines(trace));
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void detachesFromAThreadAnotherEngineKeepsTracing() throws Exception {
        Path beats = tmp.resolve("beats");
        try (Tracing tracing = Tracing.start()) {
            CallCounter counter = new CallCounter(tracing);
            Engine holder = tracing.launch(LaunchSpec.of(Programs.path("heartbeat"), beats.toString()),
                    new EngineOps() { }, "holder", EnumSet.noneOf(Event.class));
            counter.attach(holder.task());
            StringWriter out = new StringWriter();
            SyscallTracer tracer = new SyscallTracer(tracing, out, SyscallFilter.parse("trace=getppid"), false, false);
            tracer.attach(holder.task());
            holder.control(ResumeAction.RESUME);
            waitFor(() -> out.toString().lines().count() >= 3);
            tracer.detach();
            long printed = out.toString().lines().filter(l -> l.startsWith("getppid()")).count();
            long counted = counter.syscalls("getppid");
            waitFor(() -> counter.syscalls("getppid") > counted + 3);
            // The tracer is gone from the thread (and prints nothing more); the counter goes on.
            assertEquals(printed, out.toString().lines().filter(l -> l.startsWith("getppid()")).count());
            assertEquals(List.of(counter.engines().get(0)), holder.task().engines().stream()
                    .filter(e -> e.ops() != holder.ops()).toList());
            tracing.kill(holder.task().process());
        }
    }

    private static Strace.Run straceAttached(int pid) throws Exception {
        Path err = Files.createTempFile("strace-p", ".txt");
        try {
            Process p = new ProcessBuilder("/usr/bin/strace", "-p", Integer.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
            waitFor(() -> {
                try {
                    return Files.readString(err).lines().filter(l -> l.startsWith("getppid()")).count() >= 5;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            p.destroy(); // SIGTERM: strace detaches and exits
            p.waitFor(10, TimeUnit.SECONDS);
            return new Strace.Run(Files.readString(err), p.exitValue());
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** The distinct lines of the heartbeat loop, without the partial first and last ones. */
    private static java.util.Set<String> loopLines(String trace) {
        java.util.Set<String> s = new java.util.TreeSet<>();
        List<String> l = trace.lines().filter(x -> !x.contains("strace:") && !x.contains("detached")).toList();
        for (String x : l.subList(1, l.size() - 1)) {
            s.add(x.replaceAll("\\) +=", ") ="));
        }
        return s;
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting");
            }
            Thread.sleep(10);
        }
    }
}
