package dev.multitrace.cli.bench;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Event;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.WatchKind;
import dev.multitrace.core.WatchMethod;
import dev.multitrace.core.Watchpoint;
import dev.multitrace.linux.LibC;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;
import dev.multitrace.linux.Stdio;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The workloads traced by the service: engines that do the least a client can do (resume at
 * every report), so what is measured is the service's own cost per stop.
 */
public final class ServiceBench {

    private static final long TIMEOUT_S = 300;
    private static final Set<Event> SYSCALLS = EnumSet.of(Event.SYSCALL_ENTRY, Event.SYSCALL_EXIT);

    private final Tracing tracing;
    private final Programs programs;
    /** The service's tracer thread, whose CPU time is its cost per stop without the machine's waiting. */
    private final Thread tracer;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private double lastCpu = Double.NaN;
    private List<Double> lastCpus = List.of();

    /** {@code tracing} must be the newest service of this JVM (its tracer thread is found by name). */
    public ServiceBench(Tracing tracing, Programs programs) {
        this.tracing = tracing;
        this.programs = programs;
        this.tracer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("multitrace-tracer") && t.isAlive())
                .max(java.util.Comparator.comparingLong(Thread::threadId)).orElse(null);
    }

    /** The tracer thread's CPU time per unit of the last syscall, breakpoint or step run, in µs; NaN if unknown. */
    public double lastCpu() {
        return lastCpu;
    }

    /** The tracer thread's CPU time of each repetition of the last stop-all run, in ms. */
    public List<Double> lastCpus() {
        return lastCpus;
    }

    private long tracerCpu() {
        return tracer != null && threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(tracer.threadId()) : -1;
    }

    private double cpuPerUnit(long before, double units) {
        long after = tracerCpu();
        return before < 0 || after < 0 ? Double.NaN : (after - before) / 1000.0 / units;
    }

    /** An engine that resumes at every report (each instance is its own client). */
    private static final class Resumer implements EngineOps {
    }

    /** µs per syscall stop (two stops per call) with {@code engines} engines tracing syscalls. */
    public double syscall(int calls, int engines) throws Exception {
        Path out = Files.createTempFile("multitrace-bench", ".ns");
        try {
            long cpu = tracerCpu();
            Engine first = tracing.launch(LaunchSpec.of(programs.path("wl_syscall"), Integer.toString(calls), out.toString()),
                    new Resumer(), "bench", SYSCALLS);
            for (int i = 1; i < engines; i++) {
                tracing.attach(first.task(), new Resumer(), "bench" + i, SYSCALLS);
            }
            runToExit(first);
            lastCpu = cpuPerUnit(cpu, 2.0 * calls);
            return readNs(out) / 1000.0 / (2.0 * calls);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** µs per breakpoint hit; with several engines, each plants the breakpoint (each is told of every hit). */
    public double breakpoint(int hits, int engines) throws Exception {
        long hit = programs.address("wl_breakpoint", "hit");
        Path out = Files.createTempFile("multitrace-bench", ".ns");
        try {
            Set<Event> ev = EnumSet.of(Event.BREAKPOINT);
            long cpu = tracerCpu();
            Engine first = tracing.launch(LaunchSpec.of(programs.path("wl_breakpoint"), Integer.toString(hits), out.toString()),
                    new Resumer(), "bench", ev);
            first.insertBreakpoint(hit);
            for (int i = 1; i < engines; i++) {
                tracing.attach(first.task(), new Resumer(), "bench" + i, ev).insertBreakpoint(hit);
            }
            runToExit(first);
            lastCpu = cpuPerUnit(cpu, hits);
            return readNs(out) / 1000.0 / hits;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /**
     * µs per watched write with a software watchpoint ({@link WatchMethod#SOFTWARE}: the service
     * single-steps and compares): inserted at the entry of writes(), removed at done(); every
     * write reported to the engine.
     */
    public double watch(int writes) throws Exception {
        long from = programs.address("wl_watch", "writes");
        long to = programs.address("wl_watch", "done");
        long counter = programs.address("wl_watch", "counter");
        Path out = Files.createTempFile("multitrace-bench", ".ns");
        int[] hits = new int[1];
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                engine.removeBreakpoint(address);
                if (address == from) {
                    engine.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
                } else {
                    engine.removeWatchpoint(counter, 8, WatchKind.WRITE);
                }
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                hits[0]++; // tracer thread only
                return ResumeAction.RESUME;
            }
        };
        try {
            long cpu = tracerCpu();
            Engine e = tracing.launch(LaunchSpec.of(programs.path("wl_watch"), Integer.toString(writes), out.toString()),
                    ops, "bench", EnumSet.of(Event.BREAKPOINT, Event.WATCHPOINT));
            e.insertBreakpoint(from);
            e.insertBreakpoint(to);
            runToExit(e);
            lastCpu = cpuPerUnit(cpu, writes);
            if (hits[0] != writes) {
                throw new IllegalStateException("software watchpoint: " + hits[0] + " reports for " + writes + " writes");
            }
            return readNs(out) / 1000.0 / writes;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** µs per single-step: from the entry of spin(), {@code steps} steps, each reported to the engine. */
    public double step(int steps) throws Exception {
        long spin = programs.address("wl_step", "spin");
        CompletableFuture<Long> done = new CompletableFuture<>();
        long cpu = tracerCpu();
        EngineOps ops = new EngineOps() {
            long start;
            int count;

            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                engine.removeBreakpoint(address);
                start = System.nanoTime();
                return ResumeAction.SINGLESTEP;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                if (++count < steps) {
                    return ResumeAction.SINGLESTEP;
                }
                done.complete(System.nanoTime() - start);
                return ResumeAction.STOP;
            }
        };
        Engine e = tracing.launch(LaunchSpec.of(programs.path("wl_step")), ops, "bench",
                EnumSet.of(Event.BREAKPOINT, Event.STEP));
        TracedProcess p = e.task().process();
        try {
            e.insertBreakpoint(spin);
            e.control(ResumeAction.RESUME);
            long ns = done.get(TIMEOUT_S, TimeUnit.SECONDS);
            lastCpu = cpuPerUnit(cpu, steps);
            return ns / 1000.0 / steps;
        } finally {
            tracing.kill(p);
            p.exitStatus().get(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    /** ms per attach + stop of every thread + detach, {@code reps} times on one process of {@code threads} threads. */
    public List<Double> stopAll(int threads, int reps) throws Exception {
        try (Untraced target = new Untraced(programs.path("wl_threads"), Integer.toString(threads))) {
            List<Double> ms = new ArrayList<>();
            lastCpus = new ArrayList<>();
            for (int r = 0; r < reps; r++) {
                long c0 = tracerCpu();
                long t0 = System.nanoTime();
                List<Engine> engines = tracing.attachProcess(target.pid(), new Resumer(), "bench",
                        EnumSet.noneOf(Event.class), true);
                tracing.detach(engines.get(0).task().process());
                long t1 = System.nanoTime();
                if (engines.size() != threads) {
                    throw new IllegalStateException("stop-all: " + engines.size() + " threads seized, " + threads + " expected");
                }
                ms.add((t1 - t0) / 1e6);
                lastCpus.add((tracerCpu() - c0) / 1e6);
            }
            return ms;
        }
    }

    /** GiB/s reading {@code mib} MiB of a stopped process through an examination into a direct buffer, {@code reps} times. */
    public List<Double> memory(int mib, int reps) throws Exception {
        try (Untraced target = new Untraced(programs.path("wl_memory"), Integer.toString(mib))) {
            lastCpus = List.of();
            long addr = Long.parseUnsignedLong(target.firstLine(), 16);
            int len = mib << 20;
            // A direct buffer: process_vm_readv fills it with no copy on our side.
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(len);
            List<Engine> engines = tracing.attachProcess(target.pid(), new Resumer(), "bench", EnumSet.noneOf(Event.class), true);
            List<Double> gibs = new ArrayList<>();
            try {
                var ex = engines.get(0).examine();
                for (int r = 0; r < reps; r++) {
                    long t0 = System.nanoTime();
                    buf.clear();
                    int n = ex.read(addr, buf);
                    long t1 = System.nanoTime();
                    if (n != len) {
                        throw new IllegalStateException("memory: read " + n + " of " + len + " bytes");
                    }
                    gibs.add(len / (double) (1L << 30) / ((t1 - t0) / 1e9));
                }
            } finally {
                tracing.detach(engines.get(0).task().process());
            }
            return gibs;
        }
    }

    private static void runToExit(Engine e) throws Exception {
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        ExitStatus st = p.exitStatus().get(TIMEOUT_S, TimeUnit.SECONDS);
        if (st == null || !st.exited() || st.code() != 0) {
            throw new IllegalStateException("workload " + p + " failed: " + st); // its stderr says why
        }
    }

    static double readNs(Path out) throws IOException {
        String s = Files.readString(out).strip();
        if (s.isEmpty()) {
            throw new IllegalStateException("the workload wrote no time to " + out);
        }
        return Double.parseDouble(s);
    }

    /**
     * A workload that is not traced at start (stop-all and memory attach to it): spawned without the
     * JDK's process machinery, its first output line read, killed and reaped by this thread on close.
     */
    static final class Untraced implements AutoCloseable {
        private final SpawnedProcess process;
        private final String firstLine;

        Untraced(String... command) throws IOException {
            process = Spawner.of(command).stdin(Stdio.NULL).stderr(Stdio.INHERIT).start();
            process.release();
            firstLine = new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.US_ASCII)).readLine();
            if (firstLine == null) {
                close();
                throw new IllegalStateException(String.join(" ", command) + " printed nothing");
            }
        }

        int pid() {
            return process.pid();
        }

        String firstLine() {
            return firstLine;
        }

        @Override
        public void close() {
            LibC.kill(process.pid(), Signal.SIGKILL);
            LibC.waitpid(process.pid(), new int[1], PtraceConstants.__WALL);
            process.close();
        }
    }
}
