package dev.multitrace.cli.bench;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;
import dev.multitrace.core.Tracing;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * The "cold" workload, run in a fresh JVM (the benchmark's own JVM is warm by then): the syscall
 * workload under a new service, each stop time-stamped. Prints the mean µs per stop of the first
 * {@value #BLOCK} stops and the median of the later blocks of {@value #BLOCK} (the steady state),
 * then the same two for the tracer thread's own CPU time.
 * <p>usage: ColdStart NATIVE_DIR SYSCALLS
 */
public final class ColdStart {

    public static final int BLOCK = 10_000;

    private ColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Programs programs = Programs.locate(Path.of(args[0]));
        int calls = Integer.parseInt(args[1]);
        int stops = calls * 2;
        long[] at = new long[stops + 64];
        // The tracer thread's own CPU time at each block boundary (read on that thread, in its callback).
        long[] cpuAt = new long[at.length / BLOCK + 2];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        EngineOps stamp = new EngineOps() {
            int n;

            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (n < at.length) {
                    if (n % BLOCK == 0) {
                        cpuAt[n / BLOCK] = mx.getCurrentThreadCpuTime();
                    }
                    at[n++] = System.nanoTime();
                }
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
                return syscallEntry(engine, task, report);
            }
        };
        long[] blocks;
        long[] cpuBlocks;
        try (Tracing tracing = Tracing.start()) {
            Engine e = tracing.launch(LaunchSpec.of(programs.path("wl_syscall"), Integer.toString(calls), "/dev/null"),
                    stamp, "cold", EnumSet.of(Event.SYSCALL_ENTRY, Event.SYSCALL_EXIT));
            e.control(ResumeAction.RESUME);
            e.task().process().exitStatus().get(300, TimeUnit.SECONDS);
            int n = stops / BLOCK;
            if (n < 2) {
                throw new IllegalArgumentException("cold needs at least " + BLOCK + " syscalls");
            }
            blocks = new long[n];
            cpuBlocks = new long[n];
            for (int i = 0; i < n; i++) {
                blocks[i] = at[(i + 1) * BLOCK] - at[i * BLOCK];
                cpuBlocks[i] = cpuAt[i + 1] - cpuAt[i];
            }
        }
        System.out.println(perStop(blocks, true) + " " + perStop(blocks, false) + " " + perStop(cpuBlocks, true) + " "
                + perStop(cpuBlocks, false));
    }

    /** µs per stop of the first block, or the median of the later ones. */
    private static double perStop(long[] blocks, boolean first) {
        if (first) {
            return blocks[0] / 1000.0 / BLOCK;
        }
        long[] later = Arrays.copyOfRange(blocks, 1, blocks.length);
        Arrays.sort(later);
        return later[later.length / 2] / 1000.0 / BLOCK;
    }
}
