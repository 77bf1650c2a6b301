package dev.multitrace.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.multitrace.engines.probe.Probe;
import dev.multitrace.engines.probe.ProbeEngine;
import dev.multitrace.symbols.LoadMap;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.testing.TestPrograms;
import java.io.StringWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The probe engine as one engine among others on one process: a debugger-like engine with its own
 * breakpoint at the very address a probe uses, and the syscall tracer, each see all of their events while
 * the probe prints at every hit; the probe can leave mid-run and the others go on.
 */
class ProbeEngineAmongOthersTest {

    /** A debugger-like engine: counts its breakpoint's hits and lets the thread run on. */
    static final class Breaker implements EngineOps {
        final AtomicInteger hits = new AtomicInteger();

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            hits.incrementAndGet();
            return ResumeAction.RESUME;
        }
    }

    @Test
    void aProbeADebuggerAndTheSyscallTracerShareOneProcess() throws Exception {
        String prog = TestPrograms.path("probeprog").toString();
        try (Tracing tracing = Tracing.start()) {
            Breaker breaker = new Breaker();
            // held at its first instruction: the others join before it runs
            Engine debugger = tracing.launch(LaunchSpec.of(prog, "4"), breaker, "debugger", EnumSet.of(Event.BREAKPOINT));
            TracedProcess p = debugger.task().process();
            StringWriter syscalls = new StringWriter();
            SyscallTracer strace = new SyscallTracer(tracing, syscalls, SyscallFilter.parse(List.of("trace=exit_group")), false, false);
            strace.attach(debugger.task());
            StringWriter printed = new StringWriter();
            ProbeEngine probe = new ProbeEngine(tracing, List.of(Probe.dprintf("visit,\"visit %d %s\\n\",it->id,it->label"),
                    Probe.print("walk,limit")), printed);
            probe.join(p);
            // the debugger's breakpoint at the probe's own address: one int3, two owners
            long visit = functionBreakpoint(p.pid(), "visit");
            assertTrue(probe.addresses().contains(visit), probe.addresses() + " has visit's " + Long.toHexString(visit));
            debugger.insertBreakpoint(visit);
            debugger.control(ResumeAction.RESUME);

            ExitStatus st = p.exitStatus().get(60, TimeUnit.SECONDS);
            strace.awaitAllGone(Duration.ofSeconds(10));
            probe.awaitAllGone(Duration.ofSeconds(10));

            assertEquals(3, st.code());
            String expected = "limit = 3\nvisit 10 first\nvisit 20 second\nvisit 30 xthird\n".repeat(4);
            assertEquals(expected, printed.toString());
            assertEquals(12, breaker.hits.get(), "every hit of the shared address reached the debugger too");
            assertEquals(16, probe.hits(), "4 walks and 12 visits");
            assertTrue(syscalls.toString().contains("exit_group(3)"), syscalls.toString());
        }
    }

    /** Where {@code break NAME} stops in the executable of process {@code pid} (run-time address). */
    private static long functionBreakpoint(int pid, String name) throws java.io.IOException {
        ProcessSymbols symbols = new ProcessSymbols(LoadMap.ofProcess(pid));
        return symbols.modules().get(0).functionBreakpointAddress(name).orElseThrow();
    }

    @Test
    void aProbeLeavesMidRunAndTheDebuggerGoesOn() throws Exception {
        String prog = TestPrograms.path("probeprog").toString();
        try (Tracing tracing = Tracing.start()) {
            Breaker breaker = new Breaker();
            Engine debugger = tracing.launch(LaunchSpec.of(prog, "50", "2000"), breaker, "debugger", EnumSet.of(Event.BREAKPOINT));
            TracedProcess p = debugger.task().process();
            StringWriter printed = new StringWriter();
            ProbeEngine probe = new ProbeEngine(tracing, List.of(Probe.locals("walk")), printed);
            probe.join(p);
            long walk = probe.addresses().iterator().next();
            debugger.insertBreakpoint(walk);
            debugger.control(ResumeAction.RESUME);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (probe.hits() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            probe.detach();
            long left = probe.hits();
            ExitStatus st = p.exitStatus().get(60, TimeUnit.SECONDS);

            assertEquals(3, st.code());
            assertTrue(left >= 5, "hits before leaving: " + left);
            assertEquals(left, probe.hits(), "no hit reported after the probe left");
            assertEquals(50, breaker.hits.get(), "the debugger's breakpoint at the same address stayed in and saw every call");
            assertTrue(printed.toString().startsWith("head = 0x"), printed.toString());
        }
    }
}
