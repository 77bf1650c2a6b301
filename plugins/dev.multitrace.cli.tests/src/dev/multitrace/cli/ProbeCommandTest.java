package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.multitrace.symbols.LoadMap;
import dev.multitrace.symbols.LoadedModule;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

/**
 * {@code multitrace probe} run in-process: its output and exit code, bad probes refused with gdb's message
 * before anything runs, and attaching to a running program, then Ctrl-C leaving it running with no int3.
 */
class ProbeCommandTest {

    @TempDir
    Path tmp;

    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void killStarted() {
        OrphanProcess.killAll(started);
    }

    private static String prog() {
        return TestPrograms.path("probeprog").toString();
    }

    @Test
    void probesPrintAtEveryHitInTheOrderGivenAndTheExitCodeIsTheProgramsOwn() {
        CliRun r = CliRun.of("probe", "--print", "walk,limit", "--dprintf", "visit,\"%s:%d %5.1f|%-4d|%#x\\n\",it->label,depth,it->weight,depth,it->id",
                "--print", "visit,it->flags", prog(), "1");
        assertEquals(3, r.code(), r.err());
        assertEquals("limit = 3\n"
                + "first:0   1.5|0   |0xa\nit->flags = {on = 0, level = 2, delta = 0}\n"
                + "second:1   3.0|1   |0x14\nit->flags = {on = 1, level = 3, delta = -3}\n"
                + "xthird:2   4.5|2   |0x1e\nit->flags = {on = 0, level = 4, delta = -6}\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void everyThreadsHitsAreSeenEachWithItsOwnThreadLocal() {
        String line = "probethreads.c:" + TestPrograms.mark("probethreads", "work");
        CliRun r = CliRun.of("probe", "--dprintf", line + ",\"%d %d %d\\n\",id,round,tls_calls", TestPrograms.path("probethreads").toString());
        assertEquals(5, r.code(), r.err());
        List<String> expected = new ArrayList<>();
        for (int id = 1; id <= 4; id++) {
            for (int round = 0; round < 5; round++) {
                expected.add(id + " " + round + " " + (round + 1));
            }
        }
        // the threads run concurrently: their lines interleave in any order, each thread's in its own order
        assertEquals(expected, r.out().lines().sorted().toList());
    }

    @Test
    void anAddressLocationIsTakenAsItIs() {
        // a non-PIE build: the link-time address is the run-time one
        String prog = TestPrograms.path("probeprog_nopie").toString();
        LoadedModule exe = new LoadedModule(dev.multitrace.symbols.elf.ElfFile.open(Path.of(prog)), 0);
        long visit = exe.functionBreakpointAddress("visit").orElseThrow();
        CliRun r = CliRun.of("probe", "--print", "*0x" + Long.toHexString(visit) + ",it->label", "--dprintf", "*" + visit + ",\"%d\\n\",depth", prog, "1");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.out().matches("it->label = 0x[0-9a-f]+ \"first\"\n0\n"
                + "it->label = 0x[0-9a-f]+ \"second\"\n1\nit->label = 0x[0-9a-f]+ \"xthird\"\n2\n"), r.out());
    }

    @Test
    void outputFileTakesTheLines() throws Exception {
        Path file = tmp.resolve("probe.txt");
        CliRun r = CliRun.of("probe", "-o", file.toString(), "--locals", "walk", prog(), "1");
        assertEquals(3, r.code(), r.err());
        assertEquals("", r.out());
        List<String> lines = Files.readAllLines(file);
        // at walk's entry: its arguments, then its locals (not yet set; p and s are in the loop's block, not in scope)
        assertEquals(4, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("head = 0x[0-9a-f]+ <items>"), lines.toString());
        assertEquals("limit = 3", lines.get(1));
        assertTrue(lines.get(2).startsWith("sum = "), lines.toString());
        assertTrue(lines.get(3).startsWith("steps = "), lines.toString());
    }

    @Test
    void badProbesAreRefusedWithGdbsMessageBeforeTheProgramRuns() {
        assertRefused("multitrace probe: visit,it->: A syntax error in expression, near `'.", "--print", "visit,it->");
        assertRefused("multitrace probe: visit,(1 + : A syntax error in expression, near `'.", "--print", "visit,(1 + ");
        assertRefused("multitrace probe: probeprog.c:99999: Line 99999 is out of range for \"probeprog.c\".", "--locals", "probeprog.c:99999");
        assertRefused("multitrace probe: malformed location 'probeprog.c:x': FILE:LINE needs a file name and a line number", "--locals", "probeprog.c:x");
        assertRefused("multitrace probe: Wrong number of arguments for specified format-string", "--dprintf", "visit,\"%d %d\\n\",depth");
        assertRefused("multitrace probe: Bad format string, missing '\"'", "--dprintf", "visit,depth");
        assertRefused("multitrace probe: Format string required", "--dprintf", "visit");
        assertRefused("multitrace probe: Unrecognized format specifier 'y' in printf", "--dprintf", "visit,\"%y\",depth");
        assertRefused("multitrace probe: --print takes LOCATION,EXPR (an expression after the comma)", "--print", "visit");
        assertRefused("multitrace probe: *ADDRESS takes a number (0x... or decimal), not 'main'", "--locals", "*main");
    }

    @Test
    void aFunctionOrFileInNoLibraryEitherKillsTheProgramAtItsEntryPoint() {
        // not in the executable: perhaps in a library, known when the dynamic linker has loaded them, before
        // the program's own first instruction; named nowhere, the program is killed there, never left stopped
        CliRun r = CliRun.of("probe", "--dprintf", "visit,\"visit\\n\"", "--locals", "nosuch", prog());
        assertEquals(1, r.code(), r.err());
        assertEquals("multitrace probe: nosuch: Function \"nosuch\" not defined.\n", r.err());
        assertEquals("", r.out());
        r = CliRun.of("probe", "--locals", "nofile.c:3", prog());
        assertEquals(1, r.code(), r.err());
        assertEquals("multitrace probe: nofile.c:3: No source file named nofile.c.\n", r.err());
    }

    @Test
    void aProbeInASharedLibraryOfALaunchedProgramIsPlantedOnceItIsLoaded() {
        Path libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(libc), "no " + libc);
        // probeprog calls atoi(argv[1]) once; with libc's debug file installed its argument has a name
        boolean debugInfo = dev.multitrace.symbols.elf.ElfFile.open(libc).findDebugFile().isPresent();
        CliRun r = CliRun.of("probe", "--dprintf", "atoi,\"atoi called\\n\"", "--print", "walk,limit", prog(), "1");
        assertEquals(3, r.code(), r.err());
        assertEquals("atoi called\nlimit = 3\n", r.out());
        if (debugInfo) {
            r = CliRun.of("probe", "--print", "atoi,nptr", prog(), "1");
            assertEquals(3, r.code(), r.err());
            assertTrue(r.out().matches("nptr = 0x[0-9a-f]+ \"1\"\n"), r.out());
        }
    }

    private void assertRefused(String message, String... probe) {
        List<String> args = new ArrayList<>(List.of("probe"));
        args.addAll(List.of(probe));
        args.add(prog());
        long before = System.nanoTime();
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertEquals(message + "\n", r.err());
        assertEquals("", r.out());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - before) < 10);
    }

    @Test
    void aNameNotInScopeAtAHitPrintsGdbsMessageAndTheProgramRunsOn() {
        CliRun r = CliRun.of("probe", "--print", "walk,nosuch + 1", "--dprintf", "walk,\"%d\\n\",steps_not_here", prog(), "2");
        assertEquals(3, r.code(), r.err());
        assertEquals("No symbol \"nosuch\" in current context.\nNo symbol \"steps_not_here\" in current context.\n".repeat(2), r.out());
    }

    @Test
    void attachPrintsUntilCtrlCThenDetachesLeavingNoInt3() throws Exception {
        int pid = OrphanProcess.start(null, prog(), "1000000", "20000");
        started.add((long) pid);
        long visit = functionBreakpoint(pid, "visit");
        byte original = OrphanProcess.readByte(pid, visit);
        BackgroundProbe probe = new BackgroundProbe("-p", Integer.toString(pid), "--dprintf", "visit,\"visit %d\\n\",it->id");
        probe.awaitOut("visit 30\n");
        assertTrue(probe.out().startsWith("visit 10\nvisit 20\nvisit 30\n") || probe.out().contains("visit 10\nvisit 20\nvisit 30\n"), probe.out());
        assertFalse("0".equals(OrphanProcess.status(pid, "TracerPid")));
        int code = probe.interruptAndJoin();
        assertEquals(0, code, probe.err());
        assertEquals("multitrace probe: Process " + pid + " attached\nmultitrace probe: Process " + pid + " detached\n", probe.err());
        assertEquals("0", OrphanProcess.status(pid, "TracerPid"));
        assertEquals(original, OrphanProcess.readByte(pid, visit), "the int3 is gone");
        assertTrue(original != (byte) 0xcc);
        Thread.sleep(100);
        assertTrue("RS".indexOf(OrphanProcess.state(pid)) >= 0, "runs on: " + OrphanProcess.state(pid));
    }

    @Test
    void attachWithALocationNamingNothingLeavesTheProcessRunningUntraced() throws Exception {
        int pid = OrphanProcess.start(null, prog(), "1000000", "20000");
        started.add((long) pid);
        functionBreakpoint(pid, "visit"); // the program is mapped (not its starting shell any more)
        CliRun r = CliRun.of("probe", "-p", Integer.toString(pid), "--locals", "nosuch_function");
        assertEquals(1, r.code(), r.err());
        assertEquals("multitrace probe: nosuch_function: Function \"nosuch_function\" not defined.\n", r.err());
        assertEquals("0", OrphanProcess.status(pid, "TracerPid"));
        Thread.sleep(100);
        assertTrue("RS".indexOf(OrphanProcess.state(pid)) >= 0, "runs on: " + OrphanProcess.state(pid));
    }

    /**
     * Where {@code break NAME} stops in process {@code pid} (run-time address), once the program is mapped: the
     * orphan's pid may still be its starting shell's for a moment, before the exec.
     */
    private static long functionBreakpoint(int pid, String name) throws java.io.IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (LoadedModule m : new ProcessSymbols(LoadMap.ofProcess(pid)).modules()) {
                java.util.OptionalLong a = m.functionBreakpointAddress(name);
                if (a.isPresent()) {
                    return a.getAsLong();
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no function " + name + " in process " + pid);
            }
            Thread.sleep(10);
        }
    }

    /** {@code multitrace probe ARGS} on its own thread with both streams captured, so that a test can interrupt it. */
    private static final class BackgroundProbe {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final ProbeCommand command = new ProbeCommand();
        private final Thread thread;
        private volatile int code = -1;

        BackgroundProbe(String... args) {
            CommandLine cl = new CommandLine(command);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> code = cl.execute(args));
            thread.start();
        }

        String out() {
            synchronized (out) {
                return out.toString();
            }
        }

        String err() {
            return err.toString();
        }

        void awaitOut(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!out().contains(text) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        int interruptAndJoin() throws InterruptedException {
            command.interrupt();
            thread.join(20_000);
            assertFalse(thread.isAlive());
            return code;
        }
    }
}
