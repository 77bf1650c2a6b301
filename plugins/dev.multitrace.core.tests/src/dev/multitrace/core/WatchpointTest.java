package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hardware watchpoints and breakpoints (x86-64 debug registers) shared by engines, on the real
 * program native/watch.c, whose every access to {@code counter} is one labelled instruction.
 * Skipped, with the probe's reason, where the debug registers do not trap;
 * {@link SoftwareWatchpointTest} runs everywhere.
 */
class WatchpointTest extends ServiceTest {

    private String bin;
    private long counter;
    private long writeInsn;
    private long afterWrite;
    private long afterRead;
    private long hwTarget;

    @BeforeEach
    void findSymbols() throws Exception {
        assumeTrappingDebugRegisters();
        bin = Programs.path("watch");
        counter = nm(bin, "counter");
        writeInsn = nm(bin, "write_insn");
        afterWrite = nm(bin, "after_write");
        afterRead = nm(bin, "after_read");
        hwTarget = nm(bin, "hw_target");
    }

    /** One watchpoint report as an engine saw it. */
    record Hit(int tid, Watchpoint wp, long dataAddress, long pc, long accessing) {
    }

    /** Writes down every watchpoint report with the pc and the accessing instruction (-1: not known). */
    static class WatchRecorder implements EngineOps {
        final List<Hit> hits = new CopyOnWriteArrayList<>();

        @Override
        public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
            Examination x = engine.examine();
            hits.add(new Hit(task.tid(), wp, dataAddress, x.registers().pc(), x.accessingInstruction().orElse(-1)));
            return ResumeAction.RESUME;
        }

        long count(WatchKind kind) {
            return hits.stream().filter(h -> h.wp().kind() == kind).count();
        }

        long countAt(long pc) {
            return hits.stream().filter(h -> h.pc() == pc).count();
        }
    }

    /** A symbol's address in the non-PIE binary, from nm (text or data). */
    static long nm(String binary, String name) throws IOException, InterruptedException {
        Process nm = new ProcessBuilder("nm", binary).redirectErrorStream(true).start();
        String out = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        nm.waitFor();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].equals(name)) {
                return Long.parseUnsignedLong(f[0], 16);
            }
        }
        throw new AssertionError(name + " not found in " + binary);
    }

    private static int enabledSlots(long dr7) {
        int n = 0;
        for (int i = 0; i < 4; i++) {
            n += (dr7 >>> (2 * i) & 3) != 0 ? 1 : 0;
        }
        return n;
    }

    /** Every write is reported once, after the store, with the pc on the instruction after it. */
    @Test
    void aWriteWatchReportsEachWriteAfterTheWritingInstruction() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = tracing.launch(Programs.spec("watch", "run", "1000", "0", "0"), r, "watcher", EnumSet.of(Event.WATCHPOINT));
        Watchpoint wp = e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        assertEquals(new Watchpoint(counter, 8, WatchKind.WRITE), wp);
        long dr7 = e.examine().debugRegister(7);
        assertEquals(1, enabledSlots(dr7), "one slot enabled: 0x" + Long.toHexString(dr7));
        assertEquals(counter, e.examine().debugRegister(0));
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code(), "the program's own sums are right");
        assertEquals(1000, r.hits.size(), "exactly one report per write");
        for (Hit h : r.hits) {
            assertEquals(afterWrite, h.pc(), "the trap comes after the store at write_insn");
            assertEquals(counter, h.dataAddress());
            assertEquals(-1, h.accessing(), "a running thread's writer is not known exactly");
        }
    }

    /** Single-stepped onto the store (from a software breakpoint on it), the report names write_insn. */
    @Test
    void steppingOntoTheStoreNamesTheWritingInstruction() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                log.add("bp");
                return ResumeAction.SINGLESTEP;
            }

            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                log.add("watch");
                return super.watchpoint(engine, task, wp, dataAddress);
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                log.add("step@" + Long.toHexString(engine.examine().registers().pc()));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("watch", "run", "3", "0", "0"), r, "stepper",
                EnumSet.of(Event.WATCHPOINT, Event.BREAKPOINT, Event.STEP));
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        e.insertBreakpoint(writeInsn);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        String step = "step@" + Long.toHexString(afterWrite);
        assertEquals(List.of("bp", "watch", step, "bp", "watch", step, "bp", "watch", step), log);
        for (Hit h : r.hits) {
            assertEquals(writeInsn, h.accessing(), "the stepped instruction is the writer");
            assertEquals(afterWrite, h.pc());
        }
    }

    /**
     * A breakpoint on the store that its owner just resumes: the service steps the store out of
     * line of the int3 itself, so the data hit that comes with that step names write_insn too.
     */
    @Test
    void theServicesStepOffABreakpointNamesTheWritingInstruction() throws Exception {
        WatchRecorder r = new WatchRecorder();
        BreakpointTest.HitCounter other = new BreakpointTest.HitCounter();
        Engine e = tracing.launch(Programs.spec("watch", "run", "4", "0", "0"), r, "watcher", EnumSet.of(Event.WATCHPOINT));
        Engine b = tracing.attach(e.task(), other, "breaker", EnumSet.of(Event.BREAKPOINT));
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        b.insertBreakpoint(writeInsn);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(4, other.at(writeInsn));
        assertEquals(4, r.hits.size());
        for (Hit h : r.hits) {
            assertEquals(writeInsn, h.accessing());
            assertEquals(afterWrite, h.pc());
        }
    }

    /** The same through the debug registers alone: an EXECUTE hit on the store, then a step over it. */
    @Test
    void anExecuteHitThenAStepNamesTheWritingInstruction() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                super.watchpoint(engine, task, wp, dataAddress);
                Hit h = hits.get(hits.size() - 1);
                log.add(wp.kind() + "@" + Long.toHexString(h.pc()) + " by " + Long.toHexString(h.accessing()));
                return wp.kind() == WatchKind.EXECUTE ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
            }

            @Override
            public ResumeAction step(Engine engine, Task task) {
                log.add("step");
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("watch", "run", "2", "0", "0"), r, "stepper",
                EnumSet.of(Event.WATCHPOINT, Event.STEP));
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        e.insertWatchpoint(writeInsn, 1, WatchKind.EXECUTE);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        String exec = "EXECUTE@" + Long.toHexString(writeInsn) + " by " + Long.toHexString(writeInsn);
        String write = "WRITE@" + Long.toHexString(afterWrite) + " by " + Long.toHexString(writeInsn);
        assertEquals(List.of(exec, write, "step", exec, write, "step"), log,
                "executed-before, written-after, and the step that did the write is reported with it");
    }

    /** Two engines share one slot: each sees every hit of it, and only the owner sees its own execute breakpoint. */
    @Test
    void twoEnginesSharingAWatchpointEachSeeTheirHits() throws Exception {
        WatchRecorder a = new WatchRecorder();
        WatchRecorder b = new WatchRecorder();
        Engine ea = tracing.launch(Programs.spec("watch", "run", "500", "0", "200"), a, "A", EnumSet.of(Event.WATCHPOINT));
        Engine eb = tracing.attach(ea.task(), b, "B", EnumSet.of(Event.WATCHPOINT));
        ea.insertWatchpoint(counter, 8, WatchKind.WRITE);
        eb.insertWatchpoint(counter, 8, WatchKind.WRITE);
        ea.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE);
        assertEquals(2, enabledSlots(ea.examine().debugRegister(7)), "the shared watchpoint takes one slot");
        ea.control(ResumeAction.RESUME);
        assertEquals(0, await(ea.task().process().exitStatus()).code());
        assertEquals(500, a.count(WatchKind.WRITE));
        assertEquals(200, a.count(WatchKind.EXECUTE));
        assertEquals(500, b.count(WatchKind.WRITE));
        assertEquals(0, b.count(WatchKind.EXECUTE), "B owns no execute breakpoint");
    }

    /** Removing one owner keeps the slot for the other; a second remove answers false. */
    @Test
    void theSlotStaysUntilTheLastOwnerRemovesIt() throws Exception {
        WatchRecorder a = new WatchRecorder();
        WatchRecorder b = new WatchRecorder();
        Engine ea = tracing.launch(Programs.spec("watch", "run", "5", "0", "0"), a, "A", EnumSet.of(Event.WATCHPOINT));
        Engine eb = tracing.attach(ea.task(), b, "B", EnumSet.of(Event.WATCHPOINT));
        ea.insertWatchpoint(counter, 8, WatchKind.WRITE);
        eb.insertWatchpoint(counter, 8, WatchKind.WRITE);
        assertTrue(ea.removeWatchpoint(counter, 8, WatchKind.WRITE));
        assertFalse(ea.removeWatchpoint(counter, 8, WatchKind.WRITE), "A has none left");
        assertFalse(eb.removeWatchpoint(counter, 4, WatchKind.WRITE), "not the same watchpoint");
        assertEquals(1, enabledSlots(ea.examine().debugRegister(7)), "B still owns it");
        ea.control(ResumeAction.RESUME);
        assertEquals(0, await(ea.task().process().exitStatus()).code());
        assertEquals(0, a.hits.size());
        assertEquals(5, b.hits.size());
    }

    /** A READ_WRITE watch sees loads too (x86 has no read-only watch); a WRITE watch beside it does not. */
    @Test
    void aReadWriteWatchSeesReads() throws Exception {
        WatchRecorder rw = new WatchRecorder();
        WatchRecorder w = new WatchRecorder();
        Engine erw = tracing.launch(Programs.spec("watch", "run", "100", "50", "0"), rw, "RW", EnumSet.of(Event.WATCHPOINT));
        Engine ew = tracing.attach(erw.task(), w, "W", EnumSet.of(Event.WATCHPOINT));
        erw.insertWatchpoint(counter, 8, WatchKind.READ_WRITE);
        ew.insertWatchpoint(counter, 8, WatchKind.WRITE);
        erw.control(ResumeAction.RESUME);
        assertEquals(0, await(erw.task().process().exitStatus()).code());
        assertEquals(100, rw.countAt(afterWrite), "every write");
        assertEquals(51, rw.countAt(afterRead), "every read (50, and the program's final check)");
        assertEquals(151, rw.hits.size());
        assertEquals(100, w.hits.size());
        assertEquals(100, w.countAt(afterWrite));
    }

    /** A hardware execute breakpoint reports before the instruction, exactly once per call, and does not re-trigger. */
    @Test
    void aHardwareExecuteBreakpointHitsExactlyNTimes() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = tracing.launch(Programs.spec("watch", "run", "0", "0", "5000"), r, "hw", EnumSet.of(Event.WATCHPOINT));
        byte[] text = e.examine().read(hwTarget, 4);
        e.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE);
        assertEquals(java.util.Arrays.toString(text), java.util.Arrays.toString(dev.multitrace.linux.Memory.readFully(e.task().tid(), hwTarget, 4)),
                "a hardware breakpoint changes no byte of text");
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code(), "every call ran once (the program counts them)");
        assertEquals(5000, r.hits.size());
        for (Hit h : r.hits) {
            assertEquals(hwTarget, h.pc(), "reported before the first instruction of hw_target ran");
            assertEquals(hwTarget, h.accessing());
        }
    }

    /** A thread created after the insert carries the watchpoint (the kernel gives new threads clean debug registers). */
    @Test
    void aThreadCreatedAfterTheInsertCarriesTheWatchpoint() throws Exception {
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
                tracing.attach(child, this, "watcher", EnumSet.of(Event.WATCHPOINT));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("watch", "thread", "300"), r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE));
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        int leader = e.task().tid();
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(300, r.hits.size());
        for (Hit h : r.hits) {
            assertNotEquals(leader, h.tid(), "the writes are the new thread's");
        }
    }

    /**
     * Inserted and removed while five threads run (blocked in read and futex waits): each is
     * stopped for the write of its debug registers and resumed, its syscall restarts, and the
     * counts are exact: 4 x 500 writes while inserted, none after the remove.
     */
    @Test
    void insertAndRemoveWhileThreadsRun() throws Exception {
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
                tracing.attach(child, this, "watcher", EnumSet.of(Event.WATCHPOINT));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("watch", "phases", "500", "4"), r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE));
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (p.tasks().size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(5, p.tasks().size(), "the four threads exist before the insert");
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        OutputStream in = p.stdin();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        assertEquals("phase 1 done", out.readLine());
        assertEquals(2000, r.hits.size(), "every write of every thread");
        assertEquals(4, r.hits.stream().mapToInt(Hit::tid).distinct().count(), "by four threads");
        assertTrue(e.removeWatchpoint(counter, 8, WatchKind.WRITE));
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.close();
        assertEquals("phase 2 done", out.readLine());
        assertEquals(0, await(p.exitStatus()).code());
        assertEquals(2000, r.hits.size(), "none after the remove");
    }

    /**
     * The program's own SIGTRAPs (int3, raise, its own trap flag) still reach its handler while a
     * watchpoint is active, even the trap-flag trap that comes in the same debug exception as a
     * watchpoint hit (DR6 has both BS and the slot's bit): the hit is reported and the SIGTRAP
     * delivered.
     */
    @Test
    void theProgramsOwnSigtrapsStillReachItAmongWatchpointHits() throws Exception {
        String own = Programs.path("owntraps");
        List<String> log = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                log.add("SIGNAL " + dev.multitrace.linux.Signal.name(report.signal()));
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction watchpoint(Engine engine, Task task, Watchpoint wp, long dataAddress) {
                log.add("WATCHPOINT");
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("owntraps"), r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.SIGNAL));
        e.insertWatchpoint(nm(own, "var"), 8, WatchKind.WRITE);
        e.control(ResumeAction.RESUME);
        assertEquals("traps=3\n", Programs.readAll(e.task().process().stdout()));
        assertEquals(0, await(e.task().process().exitStatus()).code());
        String trap = "SIGNAL " + dev.multitrace.linux.Signal.name(dev.multitrace.linux.Signal.SIGTRAP);
        assertEquals(List.of("WATCHPOINT", trap, "WATCHPOINT", trap, "WATCHPOINT", trap, "WATCHPOINT"), log);
    }

    /** An owner that asked for no WATCHPOINT reports still owns the slot: its hits are consumed, never a SIGTRAP for the tracee. */
    @Test
    void hitsNobodyWantsReportedAreNotSigtrapsForTheTracee() throws Exception {
        String tw = Programs.path("trapwatch");
        Recorder signals = new Recorder();
        Engine e = tracing.launch(Programs.spec("trapwatch", "100"), signals, "quiet", Tracing.allSignals());
        e.insertWatchpoint(nm(tw, "watched"), 8, WatchKind.WRITE);
        e.insertWatchpoint(nm(tw, "tick"), 1, WatchKind.EXECUTE);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code(), "trapwatch exits 99 if it got a SIGTRAP");
        assertEquals(List.of(), signals.events());
    }

    /**
     * A fork child gets clean debug registers from the kernel. Followed, it carries the parent's
     * watchpoints (same owners) and its writes are reported on its own task; not followed, it is
     * let go untouched and runs without a trap.
     */
    @Test
    void aFollowedForkChildCarriesTheWatchpointsAnUnfollowedOneRunsFree() throws Exception {
        for (boolean follow : new boolean[] {true, false}) {
            WatchRecorder r = new WatchRecorder() {
                @Override
                public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
                    tracing.attach(child, this, "watcher", EnumSet.of(Event.WATCHPOINT));
                    return ResumeAction.RESUME;
                }
            };
            Engine e = tracing.launch(Programs.spec("watch", "fork", "25"), r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.CLONE));
            e.task().process().setFollowForks(follow);
            e.insertWatchpoint(counter, 8, WatchKind.WRITE);
            int parent = e.task().tid();
            e.control(ResumeAction.RESUME);
            assertEquals(0, await(e.task().process().exitStatus()).code(), "the child wrote without a SIGTRAP (follow " + follow + ")");
            assertEquals(follow ? 25 : 0, r.hits.size(), "follow " + follow);
            assertTrue(r.hits.stream().allMatch(h -> h.tid() != parent), "the writes are the child's");
        }
    }

    /**
     * Four slots: a fifth hardware watchpoint is a clear error, as are bad lengths and alignments
     * for the hardware; nothing in place is lost. Without a method named, the fifth, the odd
     * length and the misaligned one are kept in software instead.
     */
    @Test
    void runningOutOfSlotsIsAClearErrorAndLosesNothing() throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = tracing.launch(Programs.spec("watch", "run", "10", "0", "5"), r, "full", EnumSet.of(Event.WATCHPOINT));
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        e.insertWatchpoint(counter, 8, WatchKind.READ_WRITE);
        e.insertWatchpoint(counter, 4, WatchKind.WRITE);
        e.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE);
        TracingException full = assertThrows(TracingException.class, () -> e.insertWatchpoint(writeInsn, 1, WatchKind.EXECUTE, WatchMethod.HARDWARE));
        assertTrue(full.getMessage().contains("all 4 hardware debug registers are in use"), full.getMessage());
        TracingException read = assertThrows(TracingException.class, () -> e.insertWatchpoint(counter, 2, WatchKind.READ_WRITE));
        assertTrue(read.getMessage().contains("all 4 hardware debug registers are in use"), "a read watch has no software form: " + read.getMessage());
        e.insertWatchpoint(counter, 8, WatchKind.WRITE); // an equal one shares its slot: no fifth slot needed
        TracingException len = assertThrows(TracingException.class, () -> e.insertWatchpoint(counter, 3, WatchKind.WRITE, WatchMethod.HARDWARE));
        assertTrue(len.getMessage().contains("1, 2, 4 or 8 bytes"), len.getMessage());
        TracingException align = assertThrows(TracingException.class, () -> e.insertWatchpoint(counter + 2, 8, WatchKind.WRITE, WatchMethod.HARDWARE));
        assertTrue(align.getMessage().contains("aligned"), align.getMessage());
        TracingException exec = assertThrows(TracingException.class, () -> e.insertWatchpoint(hwTarget, 4, WatchKind.EXECUTE));
        assertTrue(exec.getMessage().contains("length 1"), exec.getMessage());
        assertEquals(4, enabledSlots(e.examine().debugRegister(7)));
        Watchpoint fifth = e.insertWatchpoint(counter, 2, WatchKind.WRITE);
        assertEquals(WatchMethod.SOFTWARE, fifth.method(), "no slot left: kept in software");
        assertEquals(4, enabledSlots(e.examine().debugRegister(7)), "the software one takes no slot");
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(10, r.hits.stream().filter(h -> h.wp().equals(new Watchpoint(counter, 8, WatchKind.WRITE))).count());
        assertEquals(10, r.hits.stream().filter(h -> h.wp().equals(new Watchpoint(counter, 4, WatchKind.WRITE))).count());
        assertEquals(10, r.hits.stream().filter(h -> h.wp().equals(fifth)).count(), "the software one sees every change of its bytes");
        assertEquals(11, r.count(WatchKind.READ_WRITE), "10 writes and the final read");
        assertEquals(5, r.count(WatchKind.EXECUTE));
    }

    /**
     * The kernel keeps debug registers across PTRACE_DETACH (a left-over write watch kills the
     * program with SIGTRAP at its next write): after the service lets the process go, a fresh
     * attach sees DR7 clear, and the program writes on and exits normally.
     */
    @Test
    void theLastEngineDetachingLeavesTheDebugRegistersClear() throws Exception {
        detachLeavesTheDebugRegistersClear(false);
    }

    /** The same when the service lets the process go while the owners are still attached. */
    @Test
    void theServiceDetachingLeavesTheDebugRegistersClear() throws Exception {
        detachLeavesTheDebugRegistersClear(true);
    }

    private void detachLeavesTheDebugRegistersClear(boolean serviceDetach) throws Exception {
        WatchRecorder r = new WatchRecorder();
        Engine e = tracing.launch(Programs.spec("watch", "wait", "50"), r, "watcher", EnumSet.of(Event.WATCHPOINT));
        TracedProcess p = e.task().process();
        int pid = p.pid();
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        e.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE);
        e.control(ResumeAction.RESUME);
        if (serviceDetach) {
            tracing.detach(p);
        } else {
            e.detach();
        }
        assertTrue(p.isDetached(), "the process is let go");

        List<Engine> again = tracing.attachProcess(pid, new Recorder(), "peek", EnumSet.noneOf(Event.class), true);
        for (Engine x : again) {
            assertEquals(0, x.examine().debugRegister(7) & 0xff, "no slot enabled in thread " + x.task().tid());
        }
        for (Engine x : again) {
            x.detach();
        }
        try (OutputStream in = p.stdin()) {
            in.write("go\n".getBytes(StandardCharsets.UTF_8));
        }
        ExitStatus st = await(p.exitStatus());
        assertEquals(0, st.code(), "the program wrote on without a trap: " + st);
        assertEquals(0, r.hits.size(), "nothing was written while traced");
    }

    /** exec drops the old image's watchpoints (the kernel clears the registers) and frees the slots. */
    @Test
    void execClearsThem() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WatchRecorder r = new WatchRecorder() {
            @Override
            public ResumeAction exec(Engine engine, Task task, int formerTid) {
                log.add("exec dr7=" + Long.toHexString(engine.examine().debugRegister(7) & 0xff)
                        + " hits=" + hits.size());
                // The four slots are free again.
                engine.insertWatchpoint(counter, 8, WatchKind.WRITE);
                engine.insertWatchpoint(counter, 4, WatchKind.WRITE);
                engine.insertWatchpoint(counter, 2, WatchKind.WRITE);
                engine.insertWatchpoint(hwTarget, 1, WatchKind.EXECUTE);
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("watch", "exec", "20"), r, "watcher", EnumSet.of(Event.WATCHPOINT, Event.EXEC));
        e.insertWatchpoint(counter, 8, WatchKind.WRITE);
        e.insertWatchpoint(writeInsn, 1, WatchKind.EXECUTE);
        e.insertWatchpoint(afterWrite, 1, WatchKind.EXECUTE);
        e.insertWatchpoint(afterRead, 1, WatchKind.EXECUTE);
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(List.of("exec dr7=0 hits=3"), log, "before exec: the write, and execute hits on write_insn and after_write");
        long newImage = r.hits.size() - 3;
        assertEquals(20 + 20 + 20, newImage, "20 writes seen by each of the three data watchpoints set after exec");
    }
}
