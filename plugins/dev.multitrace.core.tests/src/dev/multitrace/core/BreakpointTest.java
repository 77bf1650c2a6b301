package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.MapEntry;
import dev.multitrace.linux.Memory;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.Signal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Breakpoints that several engines share, on real processes. */
class BreakpointTest extends ServiceTest {




    /** Counts BREAKPOINT reports per address. */
    static class HitCounter implements EngineOps {
        final Map<Long, AtomicLong> hits = new ConcurrentHashMap<>();

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            hits.computeIfAbsent(address, a -> new AtomicLong()).incrementAndGet();
            return ResumeAction.RESUME;
        }

        long at(long address) {
            AtomicLong n = hits.get(address);
            return n == null ? 0 : n.get();
        }
    }

    /** The address of a symbol in a non-PIE test binary, from nm (not a traced process). */
    static long symbol(String binary, String name) throws IOException, InterruptedException {
        Process nm = new ProcessBuilder("nm", binary).redirectErrorStream(true).start();
        String out = new String(nm.getInputStream().readAllBytes());
        nm.waitFor();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(name) && (f[1].equals("T") || f[1].equals("t"))) {
                return Long.parseUnsignedLong(f[0], 16);
            }
        }
        throw new AssertionError(name + " not found in " + binary);
    }

    /** Two engines, one shared and one own breakpoint, 10,000 iterations: each sees exactly its own hits. */
    @Test
    void twoEnginesSeeExactlyTheirOwnHitsAndTheTextIsRestored() throws Exception {
        String bin = Programs.path("bploop");
        long f = symbol(bin, "f");
        long g = symbol(bin, "g");
        Engine launcher = tracing.launch(Programs.spec("bploop"), new Recorder(), "launcher", EnumSet.noneOf(Event.class));
        TracedProcess p = launcher.task().process();
        HitCounter a = new HitCounter();
        HitCounter b = new HitCounter();
        Engine ea = tracing.attach(launcher.task(), a, "A", EnumSet.of(Event.BREAKPOINT));
        Engine eb = tracing.attach(launcher.task(), b, "B", EnumSet.of(Event.BREAKPOINT));
        byte[] before = launcher.examine().read(f, 16);
        ea.insertBreakpoint(f);
        eb.insertBreakpoint(f);
        eb.insertBreakpoint(g);
        assertEquals((byte) 0xcc, Memory.readFully(p.pid(), f, 1)[0], "one int3 in memory");
        assertArrayEquals(before, launcher.examine().read(f, 16), "examinations show the original bytes");
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(32).position(8).limit(24);
        assertEquals(16, launcher.examine().read(f, direct));
        assertEquals(24, direct.position(), "the position advances by the count read");
        byte[] viaDirect = new byte[16];
        direct.get(8, viaDirect);
        assertArrayEquals(before, viaDirect, "a read into a direct buffer shows the original bytes too");
        launcher.control(ResumeAction.RESUME);
        assertEquals("done", Programs.readLine(p.stdout()));

        assertEquals(10_000, a.at(f));
        assertEquals(0, a.at(g), "A has no breakpoint at g");
        assertEquals(10_000, b.at(f));
        assertEquals(10_000, b.at(g));

        ea.detach();
        eb.detach();
        launcher.detach();
        assertTextMatchesFile(p.pid(), bin);
        p.stdin().close();
        assertEquals(0, await(p.exitStatus()).code(), "the program's own sums are right");
    }

    /** Removing one owner keeps the byte for the other; removing the last restores it. */
    @Test
    void theByteStaysUntilTheLastOwnerRemovesIt() throws Exception {
        String bin = Programs.path("bploop");
        long f = symbol(bin, "f");
        Engine ea = tracing.launch(Programs.spec("bploop"), new HitCounter(), "A", EnumSet.of(Event.BREAKPOINT));
        Engine eb = tracing.attach(ea.task(), new HitCounter(), "B", EnumSet.of(Event.BREAKPOINT));
        int pid = ea.task().tid();
        byte original = Memory.readFully(pid, f, 1)[0];
        ea.insertBreakpoint(f);
        eb.insertBreakpoint(f);
        assertTrue(ea.removeBreakpoint(f));
        assertEquals((byte) 0xcc, Memory.readFully(pid, f, 1)[0]);
        assertTrue(eb.removeBreakpoint(f));
        assertEquals(original, Memory.readFully(pid, f, 1)[0]);
        ea.task().process().stdin().close();
        ea.control(ResumeAction.RESUME);
        assertEquals(0, await(ea.task().process().exitStatus()).code());
    }

    /** Four threads, one breakpoint, 10,000 hits: none missed or doubled, and no thread ran the bare int3. */
    @Test
    void fourThreadsHitOneBreakpointTenThousandTimes() throws Exception {
        String bin = Programs.path("bpthreads");
        long work = symbol(bin, "work");
        HitCounter counter = new HitCounter() {
            @Override
            public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
                tracing.attach(child, this, "counter", EnumSet.of(Event.BREAKPOINT, Event.CLONE));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("bpthreads"), counter, "counter", EnumSet.of(Event.BREAKPOINT, Event.CLONE));
        e.insertBreakpoint(work);
        e.control(ResumeAction.RESUME);
        ExitStatus st = await(e.task().process().exitStatus());
        assertEquals(0, st.code(), "every thread's own result is right: " + st);
        assertEquals(10_000, counter.at(work));
    }

    /** A program's own int3 is a real SIGTRAP: reported as a signal and delivered to its handler. */
    @Test
    void theProgramsOwnInt3StillGetsItsSigtrap() throws Exception {
        String bin = Programs.path("ownint3");
        Recorder r = new Recorder();
        Engine e = tracing.launch(Programs.spec("ownint3"), r, "dbg", EnumSet.of(Event.SIGNAL, Event.BREAKPOINT));
        e.insertBreakpoint(symbol(bin, "marker")); // our table is not empty: the int3 must still be told apart
        HitCounter other = new HitCounter();
        tracing.attach(e.task(), other, "other", EnumSet.of(Event.BREAKPOINT));
        e.control(ResumeAction.RESUME);
        assertEquals("trapped=1\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(List.of("SIGNAL:" + Signal.name(Signal.SIGTRAP)), r.events());
        assertTrue(other.hits.isEmpty(), "the other engine owns nothing here");
    }

    /** Compares each executable mapping of the binary in memory with the file's bytes. */
    static void assertTextMatchesFile(int pid, String binary) throws IOException {
        String real = new java.io.File(binary).getCanonicalPath();
        int compared = 0;
        try (RandomAccessFile file = new RandomAccessFile(real, "r")) {
            for (MapEntry m : ProcFs.maps(pid)) {
                if (!real.equals(m.path()) || !m.executable()) {
                    continue;
                }
                int len = (int) Math.min(m.size(), file.length() - m.offset());
                byte[] mem = new byte[len];
                assertEquals(len, Memory.readProcMem(pid, m.start(), mem, 0, len));
                byte[] disk = new byte[len];
                file.seek(m.offset());
                file.readFully(disk);
                assertArrayEquals(disk, mem, "text of " + binary + " at 0x" + Long.toHexString(m.start()));
                compared += len;
            }
        }
        assertTrue(compared > 0, "found the text mapping");
    }
}
