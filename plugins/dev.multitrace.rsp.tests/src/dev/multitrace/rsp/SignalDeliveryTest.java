package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Signals gdb delivers while stepping, and the siginfo the program's handler sees. */
class SignalDeliveryTest extends ServedProgramTest {

    /** queue-signal then stepi (vCont;S): the step ends at the handler's first instruction, as with native gdb. */
    @Test
    void stepiWithAQueuedSignalStopsAtTheHandlersFirstInstruction() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break compute",
                "continue",
                "queue-signal SIGUSR1",
                "stepi",
                "p $pc == (void *) on_usr1",
                "bt 1",
                "delete",
                "continue"));
        assertTrue(run.has("$1 = 1"), show(run));
        assertTrue(run.has("#0  on_usr1"), show(run));
        assertTrue(run.has("exited with code 052"), show(run));
        String out = programOutput();
        assertEquals("handler got signal 10\nresult=42 factor=3 usr1=1\n", out, show(run));
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    /**
     * A signal another process sigqueue()d, reported to gdb and passed on with `continue` (C):
     * the handler sees the sender's SI_QUEUE, pid and value, as when gdbserver resumes at the
     * signal's delivery stop.
     */
    @Test
    void aSignalGdbPassesOnKeepsItsSender() throws Exception {
        String prog = Gdb.program("sigsender");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "continue",
                "p $_siginfo.si_code",
                "p $_siginfo._sifields._rt.si_sigval.sival_int",
                "continue"));
        assertTrue(run.has("received signal SIGUSR1"), show(run));
        assertTrue(run.has("$1 = -1"), show(run));
        assertTrue(run.has("$2 = 4242"), show(run));
        assertTrue(run.has("exited normally"), show(run));
        String out = programOutput();
        assertTrue(out.startsWith("code=-1 pid=") && out.endsWith(" from_child=1 value=4242\n"), out + show(run));
    }

    /**
     * gdb's `signal SIGUSR1` at a breakpoint: gdbserver resumes with the signal, and the kernel
     * gives it SI_USER from the debugger's pid; so does our server (the JVM is the debugger).
     */
    @Test
    void signalFromGdbComesAsSiUserFromTheServer() throws Exception {
        String prog = Gdb.program("sigsender");
        int port = serve(true, prog, "wait");
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break ready",
                "continue",
                "signal SIGUSR1"));
        assertTrue(run.has("exited normally"), show(run));
        String out = programOutput();
        assertEquals("code=0 pid=" + ProcessHandle.current().pid() + " from_child=0 value=0\n", out, show(run));
    }
}
