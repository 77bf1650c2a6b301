package dev.multitrace.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Tracing;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The probe engine counts what the program really does: its syscalls (as strace counts them) and probe hits. */
class CallCounterTest {

    @Test
    void countsSyscallsAndProbeHitsOfARealProgram() throws Exception {
        try (Tracing tracing = Tracing.start()) {
            CallCounter counter = new CallCounter(tracing);
            Engine holder = tracing.launch(LaunchSpec.of(Programs.path("ticks")), new EngineOps() { }, "launcher",
                    EnumSet.noneOf(Event.class));
            counter.attach(holder.task());
            long tick = Programs.symbol("ticks", "tick");
            counter.probe(tick);
            holder.control(ResumeAction.RESUME);
            ExitStatus st = holder.task().process().exitStatus().get(60, TimeUnit.SECONDS);

            assertEquals(0, st.code());
            assertEquals(20, counter.hits(tick));
            assertEquals(20, counter.totalHits());
            assertEquals(20, counter.syscalls("getppid"));
            assertEquals(1, counter.syscalls("write"));
            assertEquals(1, counter.syscalls("exit_group"));
            assertEquals(counter.syscallCounts().values().stream().mapToLong(Long::longValue).sum(), counter.totalSyscalls());
            assertEquals(counter.totalSyscalls(), counter.counters().get("syscalls"));
            assertEquals(20L, counter.counters().get("probe hits"));
            assertEquals(20L, counter.counters().get("getppid"));
            // The same calls strace sees (it also counts the execve the counter joined after).
            Strace.Run strace = Strace.run(List.of(), List.of(Programs.path("ticks")));
            long straceCalls = strace.trace().lines().filter(l -> !l.startsWith("---") && !l.startsWith("+++")).count();
            assertEquals(straceCalls - 1, counter.totalSyscalls());
        }
    }

    @Test
    void countsEveryThread() throws Exception {
        try (Tracing tracing = Tracing.start()) {
            CallCounter counter = new CallCounter(tracing);
            Engine holder = tracing.launch(LaunchSpec.of(Programs.path("threads")), new EngineOps() { }, "launcher",
                    EnumSet.noneOf(Event.class));
            counter.attach(holder.task());
            holder.control(ResumeAction.RESUME);
            holder.task().process().exitStatus().get(60, TimeUnit.SECONDS);
            assertEquals(4, counter.syscalls("write"), "three threads and main each write once");
            assertEquals(3, counter.syscalls("gettid"));
            assertEquals(3, counter.syscalls("exit"));
        }
    }

    @Test
    void probesNeedAnAttachedCounter() {
        try (Tracing tracing = Tracing.start()) {
            CallCounter counter = new CallCounter(tracing);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> counter.probe(0x401000));
            assertTrue(e.getMessage().contains("attach"), e.getMessage());
        }
    }
}
