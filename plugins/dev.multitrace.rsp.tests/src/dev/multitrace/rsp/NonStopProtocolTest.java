package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Non-stop mode packet by packet: %Stop notifications, vStopped, vCont;t, a signal, the exit. */
class NonStopProtocolTest extends ServedProgramTest {

    @Test
    void stopOneThreadSignalItAndSeeTheExitNotified() throws Exception {
        launch(true, Gdb.program("demo"), "spin");
        server.start();
        String thread = "p" + Integer.toHexString(traced.pid()) + "." + Integer.toHexString(traced.pid());
        try (RawClient c = new RawClient(server.port())) {
            c.request("qSupported:multiprocess+;swbreak+");
            assertEquals("OK", c.request("QNonStop:1"));
            assertEquals("T05thread:" + thread + ";", c.request("?"), "the launched thread, stopped at its exec");
            assertEquals("OK", c.request("vStopped"));
            assertEquals("OK", c.request("vCont;c"), "non-stop: vCont answers at once");
            Thread.sleep(200);
            assertEquals("E02", c.request("g"), "a running thread cannot be examined");
            assertEquals("OK", c.request("vCont;t:" + thread));
            assertEquals("Stop:T00thread:" + thread + ";", c.readPacket(), "vCont;t stops with signal 0");
            assertEquals("OK", c.request("vStopped"));
            assertTrue(c.request("g").length() > 100);
            assertEquals("0", c.request("qAttached:" + Integer.toHexString(traced.pid())));
            // gdb's SIGUSR1 is 30 (0x1e): the program's handler ends the spin, and it exits
            assertEquals("OK", c.request("vCont;C1e:" + thread));
            assertEquals("Stop:W2a;process:" + Integer.toHexString(traced.pid()), c.readPacket()); // notifications are not acknowledged
            assertEquals("OK", c.request("vStopped"));
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
        String out = programOutput();
        assertTrue(out.contains("handler got signal 10") && out.contains("result=42 factor=3 usr1=1"), out);
    }

    /**
     * Ctrl-C in non-stop (vCtrlC), as gdbserver: the SIGINT it would send lands on the leader,
     * which alone stops, reported with SIGINT; the other threads run on (gdb stops those it
     * wants with vCont;t). gdb's Ctrl-C itself: GdbSessionTest#nonStopCtrlCStopsTheThreadSigintLandsOn.
     */
    @Test
    void ctrlCStopsTheLeaderWithSigintAndTheOthersRunOn() throws Exception {
        launch(true, Gdb.program("spinners"));
        server.start();
        String pid = Integer.toHexString(traced.pid());
        String leader = "p" + pid + "." + pid;
        try (RawClient c = new RawClient(server.port())) {
            c.request("qSupported:multiprocess+;swbreak+");
            assertEquals("OK", c.request("QNonStop:1"));
            c.request("?");
            assertEquals("OK", c.request("vStopped"));
            assertEquals("OK", c.request("vCont;c"));
            Thread.sleep(300); // the two spinner threads are running by now
            assertEquals("OK", c.request("vCtrlC"));
            assertEquals("Stop:T02thread:" + leader + ";", c.readPacket());
            assertEquals("OK", c.request("vStopped"));
            String threads = c.request("qfThreadInfo");
            assertEquals(3, threads.split(",").length, threads);
            for (String t : threads.substring(1).split(",")) {
                assertEquals("OK", c.request("Hg" + t));
                String regs = c.request("g");
                if (t.equals(leader)) {
                    assertTrue(regs.length() > 100, "the leader is stopped: its registers read");
                } else {
                    assertEquals("E02", regs, "thread " + t + " runs on: it cannot be examined");
                }
            }
            // gdb's SIGUSR1 (30) to the leader: the handler ends every spin and the program exits
            assertEquals("OK", c.request("vCont;C1e:" + leader));
            assertEquals("Stop:W00;process:" + pid, c.readPacket());
            assertEquals("OK", c.request("vStopped"));
        }
        assertEquals(0, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
        assertEquals("spinners stopped\n", programOutput());
    }
}
