package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static dev.multitrace.core.WatchpointTest.nm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.WatchpointTest.Hit;
import dev.multitrace.core.WatchpointTest.WatchRecorder;
import dev.multitrace.linux.Signal;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Software watchpoints ({@link WatchMethod#SOFTWARE}), on every machine: the service single-steps
 * the process's threads and compares the watched bytes, and keeps an execute watch as an int3.
 * The counts are exact because every write of native/watch.c in these modes changes the value.
 */
class SoftwareWatchpointTest extends ServiceTest {

    private String bin;
    private long counter;
    private long writeInsn;
    private long afterWrite;
    private long hwTarget;

    @BeforeEach
    void findSymbols() throws Exception {
        bin = Programs.path("watch");
        counter = nm(bin, "counter");
        writeInsn = nm(bin, "write_insn");
        afterWrite = nm(bin, "after_write");
        hwTarget = nm(bin, "hw_target");
    }

    /** The test's own engine that ran the program to main and holds it there until {@link #release()}. */
    private Engine starter;

    /**
     * Launches a program and runs it to {@code main}, where a user would set a watch: the
     * dynamic loader's start-up (about 10^5 instructions) is not single-stepped.
     */
    private Engine launchAtMain(EngineOps ops, String name, java.util.Set<Event> events, String program, String... args)
            throws Exception {
        Engine e = tracing.launch(Programs.spec(program, args), ops, name, events);
        java.util.concurrent.CompletableFuture<Long> atMain = new java.util.concurrent.CompletableFuture<>();
        starter = tracing.attach(e.task(), new EngineOps() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                atMain.complete(address);
                return ResumeAction.STOP;
            }
        }, "starter", EnumSet.of(Event.BREAKPOINT));
        long main = nm(Programs.path(program), "main");
        starter.insertBreakpoint(main);
        e.control(ResumeAction.RESUME);
        assertEquals(main, await(atMain));
        return e;
    }

    /** Lets the program run on from main (the starter's breakpoint goes with it). */
    private void release() {
        starter.detach();
    }

    /** A recorder that follows new threads with the same ops (the owner of the watch). */
    static class ThreadWatchRecorder extends WatchRecorder {
        final Tracing tracing;

        ThreadWatchRecorder(Tracing tracing) {
            this.tracing = tracing;
        }

        @Override
        public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
            tracing.attach(child, this, "watcher", EnumSet.of(Event.WATCHPOINT, Event.SIGNAL));
            return ResumeAction.RESUME;
        }
    }

    /** Every write is reported once, after the store, and names the store: the service stepped it. */
    @Test
    void eachWriteIsReportedAfterTheStoreAndNamesIt() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT), "watch", "run", "1000", "100", "0");
        Watchpoint wp = e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        assertEquals(new Watchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE), wp);
        assertEquals(0, starter.examine().debugRegister(7) & 0xff, "no debug register is used");
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code(), "the program's own sums are right");
        assertEquals(1000, r.hits.size(), "exactly one report per write, none for the 101 reads");
        for (Hit h : r.hits) {
            assertEquals(afterWrite, h.pc(), "reported after the store");
            assertEquals(writeInsn, h.accessing(), "the stepped instruction is known: the store");
            assertEquals(counter, h.dataAddress());
        }
    }

    /** Where the hardware cannot help the service chooses software by itself, and a read watch is refused with the reason. */
    @Test
    void theServiceChoosesSoftwareWhereTheRegistersAreDeadAndRefusesReadWatches() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT), "watch", "run", "10", "0", "0");
        TracingException read = assertThrows(TracingException.class,
                () -> e.insertWatchpoint(counter, 8, WatchKind.READ_WRITE, WatchMethod.SOFTWARE));
        assertTrue(read.getMessage().contains("a read watch needs the debug registers"), read.getMessage());
        DebugRegisterSupport hw = Tracing.debugRegisters();
        Watchpoint odd = e.insertWatchpoint(counter, 3, WatchKind.WRITE);
        assertEquals(WatchMethod.SOFTWARE, odd.method(), "3 bytes fit no debug register");
        Watchpoint chosen = e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        if (hw.dataWatchpoints()) {
            assertEquals(WatchMethod.HARDWARE, chosen.method(), hw.detail());
        } else {
            assertEquals(WatchMethod.SOFTWARE, chosen.method(), hw.detail());
            TracingException dead = assertThrows(TracingException.class,
                    () -> e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.HARDWARE));
            assertTrue(dead.getMessage().contains("debug registers do not trap"), dead.getMessage());
            TracingException deadRead = assertThrows(TracingException.class, () -> e.insertWatchpoint(counter, 8, WatchKind.READ_WRITE));
            assertTrue(deadRead.getMessage().contains("read watch"), deadRead.getMessage());
        }
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(10, r.hits.stream().filter(h -> h.wp().equals(odd)).count());
        assertEquals(10, r.hits.stream().filter(h -> h.wp().equals(chosen)).count());
    }

    /** Two engines share one software watch; after one removes it the other still sees every write. */
    @Test
    void twoEnginesShareOneAndTheLastOwnerKeepsIt() throws Exception {
        WatchRecorder a = new WatchRecorder();
        WatchRecorder b = new WatchRecorder();
        Engine ea = launchAtMain(a, "A", EnumSet.of(Event.WATCHPOINT), "watch", "wait", "200");
        Engine eb = tracing.attach(ea.task(), b, "B", EnumSet.of(Event.WATCHPOINT));
        ea.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        eb.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        assertTrue(ea.removeWatchpoint(counter, 8, WatchKind.WRITE));
        ea.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        release();
        try (OutputStream in = ea.task().process().stdin()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(0, await(ea.task().process().exitStatus()).code());
        assertEquals(200, a.hits.size());
        assertEquals(200, b.hits.size());
    }

    /** A thread created after the insert is stepped and watched too. */
    @Test
    void aThreadCreatedAfterTheInsertIsWatched() throws Exception {
        ThreadWatchRecorder r = new ThreadWatchRecorder(tracing);
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE), "watch", "thread", "300");
        e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        int leader = e.task().tid();
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(300, r.hits.size());
        // A change another thread made while this one stepped is reported on the thread whose
        // stop saw it first (WatchMethod.SOFTWARE says so): the store names its writer exactly
        // whenever the writer's own stop is the one that sees it.
        assertTrue(r.hits.stream().anyMatch(h -> h.tid() != leader && h.accessing() == writeInsn), "the new thread's stores");
        assertTrue(r.hits.stream().filter(h -> h.accessing() == writeInsn).allMatch(h -> h.tid() != leader),
                "no store of the new thread is named on the leader");
    }

    /**
     * The leader ends first (pthread_exit in main: a zombie whose memory is gone, as in an
     * exit_group that kills it before the others) and another thread writes on, then exits the
     * process. The watched bytes and the next instruction are read through the thread that
     * stopped: read through the pid, they failed with ESRCH, the thread was taken for dying at
     * its step trap and left in that ptrace stop for ever, and the process never ended.
     */
    @Test
    void aThreadWritingAfterTheLeadersEndIsWatchedAndEnds() throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        ThreadWatchRecorder r = new ThreadWatchRecorder(tracing) {
            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                // An examination reads through the stopped thread too, not the zombie leader's pid.
                seen.add(engine.examine().readLong(dataAddress));
                return super.watchpoint(engine, task, wp, dataAddress);
            }
        };
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE), "watch", "leader", "200");
        e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        int leader = e.task().tid();
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code(), "the thread's writes and its exit_group");
        assertEquals(200, r.hits.size(), "every write after the leader's end");
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 200).boxed().toList(), seen, "each value examined at its report");
        assertTrue(r.hits.stream().allMatch(h -> h.tid() != leader && h.accessing() == writeInsn), "the thread's stores");
        long end = System.nanoTime() + 2_000_000_000L;
        while (!tracing.processes().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertTrue(tracing.processes().isEmpty(), "nothing traced");
    }

    /** Four threads writing under a mutex: 4 x 250 changes, 1,000 reports, none lost or doubled. */
    @Test
    void countsAreExactAcrossThreads() throws Exception {
        ThreadWatchRecorder r = new ThreadWatchRecorder(tracing);
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE), "watch", "locked", "250", "4");
        e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code(), "the program's count is right");
        assertEquals(1000, r.hits.size());
    }

    /** read(2) into the watched bytes: the kernel's write is seen, and named by the syscall instruction. */
    @Test
    void writesByTheKernelAreSeen() throws Exception {
        List<byte[]> writer = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                ResumeAction a = super.watchpoint(engine, task, wp, dataAddress);
                writer.add(engine.examine().read(hits.get(hits.size() - 1).accessing(), 2));
                return a;
            }
        };
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT), "watch", "readin", "5");
        e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        release();
        ByteBuffer values = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
        for (long v = 1; v <= 5; v++) {
            values.putLong(v * 1111);
        }
        try (OutputStream in = e.task().process().stdin()) {
            in.write(values.array());
        }
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(5, r.hits.size(), "one report per read(2)");
        for (byte[] insn : writer) {
            assertArrayEquals(new byte[] {0x0f, 0x05}, insn, "the syscall instruction made the write");
        }
    }

    /** A software execute watch is an int3 of the service's, reported as a WATCHPOINT before the instruction, exactly N times. */
    @Test
    void anExecuteWatchIsABreakpointReportedAsAWatchpoint() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.BREAKPOINT), "watch", "run", "0", "0", "500");
        byte[] text = starter.examine().read(hwTarget, 4);
        Watchpoint wp = e.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE, WatchMethod.SOFTWARE);
        assertEquals(WatchMethod.SOFTWARE, wp.method());
        assertArrayEquals(text, starter.examine().read(hwTarget, 4), "reads show the original bytes");
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code(), "every call ran once (the program counts them)");
        assertEquals(500, r.hits.size());
        for (Hit h : r.hits) {
            assertEquals(hwTarget, h.pc(), "reported before the first instruction of hw_target ran");
            assertEquals(hwTarget, h.accessing());
        }
    }

    /**
     * The last owner detaching while the threads step: the program is let go with no trap flag
     * and no int3 of an execute watch left, and writes on at full speed to its normal exit.
     */
    @Test
    void detachLeavesNoTrace() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT), "watch", "wait", "50");
        TracedProcess p = e.task().process();
        byte[] text = starter.examine().read(hwTarget, 1);
        e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        e.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE, WatchMethod.SOFTWARE);
        release();
        Thread.sleep(50); // stepping inside its read(2) of stdin
        e.detach();
        assertTrue(p.isDetached(), "the process is let go");
        assertArrayEquals(text, dev.multitrace.linux.Memory.readFully(p.pid(), hwTarget, 1), "no int3 left");
        try (OutputStream in = p.stdin()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        ExitStatus st = await(p.exitStatus());
        assertEquals(0, st.code(), "the program wrote on without a trap: " + st);
        assertEquals(0, r.hits.size(), "nothing was written while traced");
    }

    /**
     * The program's own SIGTRAPs (int3, raise, the trap flag it sets itself with popf, which
     * traps after the store it steps with) still reach its handler among the reports.
     */
    @Test
    void theProgramsOwnSigtrapsStillReachIt() throws Exception {
        String own = Programs.path("owntraps");
        List<String> log = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                log.add("SIGNAL " + Signal.name(report.signal()));
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                log.add("WATCHPOINT");
                return ResumeAction.RESUME;
            }
        };
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.SIGNAL), "owntraps", "direct");
        e.insertWatchpoint(nm(own, "var"), 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        release();
        ExitStatus st = await(e.task().process().exitStatus());
        assertEquals(0, st.code(), st + " " + log);
        assertEquals("traps=3\n", Programs.readAll(e.task().process().stdout()));
        String trap = "SIGNAL " + Signal.name(Signal.SIGTRAP);
        assertEquals(List.of("WATCHPOINT", trap, "WATCHPOINT", trap, "WATCHPOINT", trap, "WATCHPOINT"), log);
    }

    /** The program's own SIGSEGVs reach its handler, and the writes around them are all seen. */
    @Test
    void theProgramsOwnSigsegvsStillReachIt() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                log.add(Signal.name(report.signal()));
                return ResumeAction.RESUME;
            }
        };
        Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.SIGNAL), "watch", "segv", "5");
        e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
        release();
        assertEquals(0, await(e.task().process().exitStatus()).code(), "the handler ran 5 times");
        assertEquals(5, r.hits.size());
        assertEquals(java.util.Collections.nCopies(5, Signal.name(Signal.SIGSEGV)), log);
    }

    /** A followed fork child keeps the watch (same owners); an unfollowed one runs free, untrapped. */
    @Test
    void aFollowedForkChildIsWatchedAnUnfollowedOneRunsFree() throws Exception {
        for (boolean follow : new boolean[] {true, false}) {
            ThreadWatchRecorder r = new ThreadWatchRecorder(tracing);
            Engine e = launchAtMain(r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE), "watch", "fork", "25");
            e.task().process().setFollowForks(follow);
            e.insertWatchpoint(counter, 8, WatchKind.WRITE, WatchMethod.SOFTWARE);
            int parent = e.task().tid();
            release();
            assertEquals(0, await(e.task().process().exitStatus()).code(), "the child wrote without a SIGTRAP (follow " + follow + ")");
            assertEquals(follow ? 25 : 0, r.hits.size(), "follow " + follow);
            assertTrue(r.hits.stream().allMatch(h -> h.tid() != parent), "the writes are the child's");
        }
    }
}
