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
 * {@value #BLOCK} stops and the median of the later blocks of {@value #BLOCK} (the steady state).
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
        EngineOps stamp = new EngineOps() {
            int n;

            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (n < at.length) {
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
            for (int i = 0; i < n; i++) {
                blocks[i] = at[(i + 1) * BLOCK] - at[i * BLOCK];
            }
        }
        long[] later = Arrays.copyOfRange(blocks, 1, blocks.length);
        Arrays.sort(later);
        double first = blocks[0] / 1000.0 / BLOCK;
        double steady = later[later.length / 2] / 1000.0 / BLOCK;
        System.out.println(first + " " + steady);
    }
}
