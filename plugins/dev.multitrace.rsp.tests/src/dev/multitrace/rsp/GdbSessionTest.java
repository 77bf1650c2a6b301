package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Tracing;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real gdb debugging a real program through our server, as a user would with gdbserver. */
class GdbSessionTest extends ServedProgramTest {

    /** Presses Ctrl-C in gdb a second after it started: SIGINT, which gdb turns into a 0x03 byte. */
    static void interruptSoon(Process gdb) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(1500);
                new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).inheritIO().start().waitFor();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private ExitStatus exit() throws Exception {
        return traced.exitStatus().get(30, TimeUnit.SECONDS);
    }

    @Test
    void breakContinueRegistersBacktraceAndExit() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break square",
                "continue",
                "bt",
                "info sharedlibrary",
                "p $rip == (long) &square + 0 || 1",
                "info registers rip",
                "p x",
                "continue",
                "p x",
                "delete",
                "continue"));
        String log = log();
        assertTrue(run.has("Breakpoint 1, square (x=0)"), run.output() + "\n--- server:\n" + log);
        assertTrue(run.has("#1 ") && run.has("compute"), run.output());
        // qXfer:libraries-svr4: the dynamic linker's list, libc with its address range and symbols
        assertTrue(java.util.regex.Pattern.compile("0x[0-9a-f]+ +0x[0-9a-f]+ +Yes.*/libc\\.so\\.6").matcher(run.output()).find(),
                run.output());
        assertTrue(run.has("rip "), run.output());
        assertTrue(run.has("$3 = 1"), run.output());
        assertTrue(run.has("exited with code 052"), run.output());
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
        assertEquals(42, exit().code());
    }

    @Test
    void breakByFileLineStepNextStepiFinishAndSetVar() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break demo.c:41",
                "continue",
                "step",            // into compute
                "next",            // int total = 0
                "next",            // the for line
                "step",            // into square
                "bt 1",
                "finish",
                "stepi",
                "stepi",
                "p $pc",
                "x/4xb &factor",
                "set var factor = 4",
                "p factor",
                "delete",
                "continue"));
        assertTrue(run.has("Breakpoint 1, main"), show(run));
        assertTrue(run.has("compute (n=4) at"), show(run));
        assertTrue(run.has("square (x=0) at"), show(run));
        assertTrue(run.has("Value returned is $1 = 0"), show(run));
        assertTrue(run.output().matches("(?s).*<factor>:\\s+0x03\\s+0x00\\s+0x00\\s+0x00.*"), show(run));
        assertTrue(run.has("= 4"), show(run));
        // square(i) * 4 summed over 0..3 = 56
        assertTrue(run.has("exited with code 070"), show(run));
        assertEquals("result=56 factor=4 usr1=0\n", programOutput());
        assertEquals(56, exit().code());
    }

    @Test
    void signalSigusr1RunsTheProgramsHandler() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo, "spin");
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break compute",
                "break on_usr1",
                "continue",       // spins until the test presses Ctrl-C (SIGINT to gdb)
                "p got_usr1",
                "signal SIGUSR1",
                "p sig",
                "continue",
                "p got_usr1",
                "delete",
                "continue"), 120, GdbSessionTest::interruptSoon);
        assertTrue(run.has("received signal SIGINT"), show(run));
        assertTrue(run.has("$1 = 0"), show(run));
        assertTrue(run.has("Breakpoint 2, on_usr1 (sig=10)"), show(run));
        assertTrue(run.has("Breakpoint 1, compute"), show(run));
        assertTrue(run.has("$3 = 1"), show(run));
        String out = programOutput();
        assertTrue(out.contains("handler got signal 10"), out);
        assertTrue(out.contains("result=42 factor=3 usr1=1"), out);
        assertEquals(42, exit().code());
    }

    @Test
    void detachLetsTheProgramFinishWithItsOwnExitCode() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break square",
                "continue",
                "detach"));
        assertTrue(run.has("Breakpoint 1, square"), show(run));
        assertTrue(run.has("(process " + traced.pid() + ") detached]"), show(run));
        assertEquals(42, exit().code());
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
        assertTrue(log().contains("Detaching from process " + traced.pid()));
    }

    @Test
    void killEndsTheProgram() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break square",
                "continue",
                "kill"));
        assertTrue(run.has("Breakpoint 1, square"), show(run));
        assertEquals(9, exit().signal(), show(run));
        assertEquals("", programOutput());
    }

    @Test
    void multithreadedTargetInAllStop() throws Exception {
        String workers = Gdb.program("workers");
        int port = serve(true, workers);
        Gdb.Run run = Gdb.run(workers, List.of(
                "target remote 127.0.0.1:" + port,
                "break work",
                "continue",
                "info threads",
                "p id",
                "continue",
                "continue",
                "continue",
                "thread 1",
                "bt 1",
                "delete",
                "continue"));
        assertTrue(run.output().split("Thread \\d+\\.\\d+ .* hit Breakpoint 1, work", -1).length - 1 == 4
                || count(run.output(), "hit Breakpoint 1, work") + count(run.output(), "Breakpoint 1, work") >= 4, show(run));
        assertTrue(count(run.output(), "Thread ") >= 5, show(run));
        assertTrue(run.has("[Switching to thread 1"), show(run));
        assertTrue(run.has("exited with code 05"), show(run));
        assertEquals("workers done 1 2 3 4\n", programOutput());
        assertEquals(5, exit().code());
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * Non-stop: a thread that hits a breakpoint stops alone (%Stop notification, vStopped) while
     * the others run on; the program still finishes right. (vCont;t: NonStopProtocolTest.)
     */
    @Test
    void nonStopThreadsStopOneByOne() throws Exception {
        String workers = Gdb.program("workers");
        int port = serve(true, workers);
        Gdb.Run run = Gdb.run(workers, List.of(
                "set non-stop on",
                "target remote 127.0.0.1:" + port,
                "break work",
                "continue",
                "info threads",
                "delete",
                "continue -a",
                "shell sleep 1"));
        assertTrue(run.has("hit Breakpoint 1, work"), show(run));
        assertTrue(run.has("(running)"), "in non-stop the main thread runs on: " + show(run));
        assertEquals("workers done 1 2 3 4\n", programOutput());
        assertEquals(5, exit().code());
    }

    /**
     * Non-stop Ctrl-C (gdb sends vCtrlC): as with gdbserver, whose SIGINT to the process lands on
     * the leader, only that thread stops, with SIGINT; the spinning threads run on. A SIGUSR1 to
     * it then ends the program.
     */
    @Test
    void nonStopCtrlCStopsTheThreadSigintLandsOn() throws Exception {
        String spinners = Gdb.program("spinners");
        int port = serve(true, spinners);
        Gdb.Run run = Gdb.run(spinners, List.of(
                "set non-stop on",
                "target remote 127.0.0.1:" + port,
                "continue",
                "info threads",
                "signal SIGUSR1",
                "shell sleep 1"), 120, GdbSessionTest::interruptSoon);
        assertTrue(run.has("Thread 1 \"spinners\" received signal SIGINT"), show(run));
        assertTrue(run.output().matches("(?s).*\\* 1    Thread .*\\(running\\).*\\(running\\).*"), show(run));
        assertEquals("spinners stopped\n", programOutput(), show(run));
        assertEquals(0, exit().code());
    }

    /** Z2 (watch), Z1 (hbreak) and Z4 (awatch) through the service's debug registers. */
    @Test
    void hardwareWatchpointsAndBreakpoints() throws Exception {
        DebugRegisterSupport hw = Tracing.debugRegisters();
        assumeTrue(hw.dataWatchpoints() && hw.executeBreakpoints(), "this machine's debug registers do not trap (" + hw.detail() + ")");
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break compute",
                "continue",
                "delete",
                "watch squares",
                "continue",
                "continue",
                "delete",
                "hbreak square",
                "continue",
                "delete",
                "awatch factor",
                "continue",
                "delete",
                "rwatch factor",
                "continue",
                "delete",
                "continue"));
        assertTrue(run.has("Hardware watchpoint 2: squares"), show(run));
        assertTrue(run.output().matches("(?s).*Old value = 0\\s+New value = 1.*Old value = 1\\s+New value = 2.*"), show(run));
        assertTrue(run.has("Breakpoint 3, square (x=2)"), "hbreak: " + show(run));
        assertTrue(run.output().matches("(?s).*Hardware access \\(read/write\\) watchpoint 4: factor\\s+Value = 3.*"), show(run));
        // x86 cannot watch reads alone: Z3 is unsupported, and gdb builds rwatch on an access watchpoint
        assertTrue(run.output().matches("(?s).*Hardware read watchpoint 5: factor\\s+Value = 3.*"), show(run));
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
        assertEquals(42, exit().code());
    }

    /**
     * gdb's watch through the stub on any machine: three continues, three hits with the old and new
     * values (kept in software by the service where the debug registers do not trap, which
     * gdbserver cannot do there), hbreak as an int3 there; an access watch is refused where it
     * cannot fire, never shown as set and then missed. {@code monitor hardware} says which.
     */
    @Test
    void watchWorksWhateverTheDebugRegistersDo() throws Exception {
        DebugRegisterSupport hw = Tracing.debugRegisters();
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "monitor hardware",
                "break compute",
                "continue",
                "delete",
                "watch squares",
                "continue",
                "continue",
                "continue",
                "delete",
                "hbreak square",
                "continue",
                "delete",
                "awatch factor",
                "continue",
                "delete",
                "continue"));
        assertTrue(run.has("watchpoints: " + (hw.dataWatchpoints() ? "hardware" : "software only")), show(run));
        assertTrue(run.output().matches("(?s).*Old value = 0\\s+New value = 1.*Old value = 1\\s+New value = 2"
                + ".*Old value = 2\\s+New value = 3.*"), show(run));
        assertTrue(run.output().matches("(?s).*Breakpoint 3, square \\(x=3\\).*"), "hbreak: " + show(run));
        if (hw.readWatchpoints()) {
            assertTrue(run.output().matches("(?s).*Hardware access \\(read/write\\) watchpoint \\d+: factor\\s+Value = 3.*"), show(run));
        } else {
            assertTrue(run.has("Could not insert hardware watchpoint"), "refused where it cannot fire: " + show(run));
            assertTrue(!run.output().contains("Value = 3"), "no access watch reported: " + show(run));
        }
        assertEquals(42, exit().code());
    }
}
