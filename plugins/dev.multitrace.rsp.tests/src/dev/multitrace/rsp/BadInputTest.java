package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.Result;
import dev.multitrace.core.ResumeAction;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that breaks the protocol: errors for malformed packets, '-' for bad checksums, the
 * connection dropped for a packet too long to buffer; the traced program is kept for the next
 * client (or, with --once, detached and left to finish), never left trapped.
 */
class BadInputTest extends ServedProgramTest {

    @Test
    void malformedPacketsGetErrorsAndBadChecksumsGetNacks() throws Exception {
        int port = serve(false, Gdb.program("demo"));
        try (RawClient c = new RawClient(port)) {
            assertTrue(c.request("qSupported:multiprocess+;swbreak+").contains("PacketSize=4000"));
            c.sendRaw("$g#00");
            assertEquals('-', c.readByte(), "a bad checksum is answered with '-'");
            for (String bad : new String[] {"mzz,4", "m", "M0,2:00", "Zq", "Z0,zz,1", "vCont;x", "Hgpzz", "p999",
                    "P10=12", "qXfer:features:read:target.xml:zz", "vCont;C", "vAttach;", "X10,zz:", "T", "Hg"}) {
                assertTrue(c.request(bad).startsWith("E"), bad + " -> error");
            }
            assertEquals("E01", c.request("m0,4"), "unmapped memory");
            assertEquals("", c.request("qNoSuchThing"), "unknown packets are unsupported, not errors");
            // the session still works after all that
            assertTrue(c.request("?").startsWith("T05thread:"));
            assertTrue(c.request("g").length() > 16 * 16);
            // and a frame longer than the limit drops the client
            c.sendRaw("$" + "a".repeat(100_000));
            assertTrue(c.closedByServer(), log());
        }
        // the program is kept, held, for the next client
        try (RawClient c = new RawClient(port)) {
            assertTrue(c.request("?").startsWith("T05thread:"), "the last stop again: " + log());
            assertEquals("OK", c.request("D"));
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
    }

    @Test
    void clientDisconnectingMidPacketLeavesTheProgramRunningDetached() throws Exception {
        int port = serve(true, Gdb.program("demo"));
        try (RawClient c = new RawClient(port)) {
            c.request("qSupported:multiprocess+;swbreak+");
            c.request("Z0," + Long.toHexString(BreakpointPathsTest.symbolInProcess(traced.pid(), Gdb.program("demo"), "square")) + ",1");
            c.sendRaw("$vCont;c:p" + Integer.toHexString(traced.pid()));
        }
        // --once: the server detaches (breakpoints out) and the program finishes on its own
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
        assertTrue(log().contains("Detaching from process " + traced.pid()), log());
    }

    /**
     * The seed's case (ugdb v7): gdb interrupts while another engine already holds the thread.
     * The interrupt completes at once, it does not wait for the other engine to let go.
     */
    @Test
    void interruptCompletesAtOnceWhenAnotherEngineHoldsTheThread() throws Exception {
        int port = serve(true, Gdb.program("demo"), "spin");
        try (RawClient c = new RawClient(port)) {
            c.request("qSupported:multiprocess+;swbreak+");
            assertTrue(c.request("?").startsWith("T05"));
            c.sendRaw(RawClient.frame("vCont;c"));
            assertEquals('+', c.readByte());
            Thread.sleep(300);
            Engine holder = tracing.attach(traced.leader(), new EngineOps() {
            }, "holder", EnumSet.of(Event.QUIESCE));
            Result r = holder.control(ResumeAction.STOP);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!traced.leader().holders().contains(holder) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(traced.leader().holders().contains(holder), "holder stopped the thread (" + r + ")");
            long t0 = System.nanoTime();
            c.sendRaw("\u0003");
            String stop = c.readPacket();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(stop.startsWith("T02thread:"), stop);
            assertTrue(ms < 2000, "the interrupt took " + ms + " ms");
            c.sendRaw("+");
            // the other engine lets go; the thread stays held by gdb's engine
            holder.control(ResumeAction.RESUME);
            holder.detach();
            assertTrue(c.request("g").length() > 100);
            assertEquals("OK", c.request("D"));
        }
        new ProcessBuilder("kill", "-USR1", Integer.toString(traced.pid())).start().waitFor();
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
        String out = programOutput();
        assertTrue(out.contains("result=42 factor=3 usr1=1"), out);
    }
}
