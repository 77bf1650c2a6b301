package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The seed's breakpoint trace (ugdb, "gdbstub initial code, v9"): gdb's breakpoints work whether
 * gdb plants them with Z0 (through the service's table) or falls back to writing 0xcc itself
 * (then the service sees memory writes, which must keep its own breakpoints consistent). And a
 * breakpoint gdb and another engine both plant at one address is hit by both.
 */
class BreakpointPathsTest extends ServedProgramTest {

    /** Another engine: counts the hits of the breakpoints it planted, never stops the program. */
    static final class HitCounter implements EngineOps {
        final AtomicInteger hits = new AtomicInteger();

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            hits.incrementAndGet();
            return ResumeAction.RESUME;
        }
    }

    /** The address of a function of a non-PIE program, from nm (an untraced helper). */
    static long symbol(String program, String name) throws Exception {
        Process nm = new ProcessBuilder("nm", program).redirectErrorStream(true).start();
        String out = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        nm.waitFor(30, TimeUnit.SECONDS);
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(name)) {
                return Long.parseUnsignedLong(f[0], 16);
            }
        }
        throw new AssertionError("no symbol " + name + " in " + program);
    }

    /** A symbol's address in a running (PIE) process: nm's offset plus the load base from /proc. */
    static long symbolInProcess(int pid, String program, String name) throws Exception {
        long offset = symbol(program, name);
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/maps"))) {
            if (line.endsWith(program)) {
                return Long.parseUnsignedLong(line.substring(0, line.indexOf('-')), 16) + offset;
            }
        }
        throw new AssertionError(program + " is not mapped in " + pid);
    }

    private int serve(String program, HitCounter counter, long counterAddress) throws Exception {
        launch(true, program);
        if (counter != null) {
            Engine e = tracing.attach(traced.leader(), counter, "counter", EnumSet.of(Event.BREAKPOINT));
            e.insertBreakpoint(counterAddress);
        }
        server.start();
        return server.port();
    }

    @Test
    void gdbAndAnotherEngineShareABreakpointThroughZ0() throws Exception {
        String demo = Gdb.program("demo_nopie");
        HitCounter counter = new HitCounter();
        int port = serve(demo, counter, symbol(demo, "square"));
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break *square",
                "continue", "continue", "continue", "continue",
                "x/1xb square",
                "delete",
                "continue"));
        // (at *square the frame is not set up yet: x's printed value means nothing there)
        assertEquals(4, run.output().split("Breakpoint 1, square", -1).length - 1, show(run));
        // gdb reads the original first byte of square (endbr64 starts with f3), never the int3
        assertTrue(run.output().matches("(?s).*<square>:\\s+0xf3.*") || run.output().matches("(?s).*<square>:\\s+0x55.*"), show(run));
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), show(run));
        assertEquals(4, counter.hits.get(), "the other engine saw every hit of its breakpoint too");
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
    }

    @Test
    void gdbFallsBackToWritingInt3AndTheServiceTableStaysConsistent() throws Exception {
        String demo = Gdb.program("demo_nopie");
        HitCounter counter = new HitCounter();
        // the other engine's breakpoint is at compute; gdb writes its own 0xcc at square
        int port = serve(demo, counter, symbol(demo, "compute"));
        Gdb.Run run = Gdb.run(demo, List.of(
                "set remote software-breakpoint-packet off",
                "target remote 127.0.0.1:" + port,
                "break square",
                "continue", "continue",
                "x/1xb compute",
                "p x",
                "delete",
                "continue"));
        assertTrue(run.has("Breakpoint 1, square (x=0)"), show(run));
        assertTrue(run.has("Breakpoint 1, square (x=1)"), show(run));
        assertTrue(run.output().matches("(?s).*<compute>:\\s+0x(f3|55).*"), "the service's int3 stays hidden: " + show(run));
        assertTrue(run.has("$1 = 1"), show(run));
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), show(run));
        assertEquals(1, counter.hits.get(), "compute is called once");
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
    }
}
