package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Malformed packets of every family, sent to a held program: each gets its error reply (E01,
 * the {@link RspError#MALFORMED} code, unless the family answers otherwise), nothing of it
 * happens (no thread runs: the program is still at its first stop, its registers readable), the
 * session answers the next packet as if nothing had been sent, and when the client detaches the
 * program runs to its own end: it was never left stopped.
 */
class MalformedPacketsTest extends ServedProgramTest {

    /** Per family, each malformed packet and its expected reply. */
    private static Map<String, Map<String, String>> families() {
        Map<String, Map<String, String>> f = new LinkedHashMap<>();
        f.put("queries", replies("E01", "qAttached:zz", "qAttached:1x", "qThreadExtraInfo", "qThreadExtraInfo,pzz",
                "qXfer:features:read:target.xml:0", "qXfer:auxv:read::zz,1", "qXfer:threads:read::0,1000x", "qRcmd,6",
                "qRcmd,zz"));
        f.get("queries").put("qXfer:features:read:nosuch.xml:0,100", "E00");
        f.put("settings", replies("E01", "QPassSignals:zz", "QPassSignals", "QProgramSignals:1;zz", "QDisableRandomization:",
                "QDisableRandomization:1x", "QNonStop", "QThreadEvents"));
        f.put("registers", replies("E01", "p", "pzz", "p999", "p1x", "P10", "P10=1", "P0=zz", "P0=00", "Gz", "G0", "g1"));
        f.put("memory", replies("E01", "m", "m10", "m10,", "m10,zz", "mzz,4", "m10,4x", "m10,ffffffffffffffff",
                "M10,2", "M10,2:0", "M10,2:00", "M10,1:zz", "x10", "X10,2:a", "X10,zz:", "X:"));
        f.put("breakpoints", replies("E01", "Z", "Zq", "Z0", "Z0,", "Z0,zz,1", "Z0,10", "z2,10,zz", "z0,10,1x"));
        f.put("threads", replies("E01", "H", "Hg", "Hgpzz", "Hgp1.zz", "Hg7fffffff", "T", "Tzz", "T0", "T-1", "T7fffffff"));
        f.put("resume", replies("E01", "C", "Czz", "S", "c10", "s10", "vCont", "vCont;", "vCont;x", "vCont;C", "vCont;r1",
                "vCont;r1,", "vCont;c:pzz", "vCont;cq", "vCont;c;"));
        f.put("processes", replies("E01", "D;zz", "D;1", "Dx", "vKill;", "vKill;zz", "vKill;1", "vAttach;", "vAttach;zz",
                "vRun;z"));
        f.put("file I/O", replies("F-1,16", "vFile:open:zz", "vFile:pread:zz", "vFile:close:"));
        return f;
    }

    private static Map<String, String> replies(String reply, String... packets) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : packets) {
            m.put(p, reply);
        }
        return m;
    }

    @Test
    void everyFamilyAnswersMalformedPacketsWithAnErrorAndGoesOn() throws Exception {
        int port = serve(false, Gdb.program("demo"));
        try (RawClient c = new RawClient(port)) {
            assertTrue(c.request("qSupported:multiprocess+;swbreak+").contains("PacketSize=4000"));
            String firstStop = c.request("?");
            assertTrue(firstStop.startsWith("T05thread:"), firstStop);
            String registers = c.request("g");
            for (Map.Entry<String, Map<String, String>> family : families().entrySet()) {
                for (Map.Entry<String, String> bad : family.getValue().entrySet()) {
                    String reply = c.request(bad.getKey());
                    assertEquals(bad.getValue(), reply, family.getKey() + ": " + bad.getKey() + "\n" + log());
                }
                // Nothing ran: the same stop, the same registers; the session answers as before.
                assertEquals(firstStop, c.request("?"), family.getKey());
                assertEquals(registers, c.request("g"), family.getKey() + ": the thread did not move");
                assertEquals("OK", c.request("Hg0"), family.getKey());
            }
        }
        // Kept for the next client, which detaches: the program runs to its own end.
        try (RawClient c = new RawClient(port)) {
            assertTrue(c.request("?").startsWith("T05thread:"), log());
            assertEquals("OK", c.request("D"));
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
    }

    /**
     * A client that offers error-message+ (gdb 15 on) gets each error as its text, E.message, saying
     * what was wrong; one that does not gets the code (above).
     */
    @Test
    void aClientThatTakesErrorMessagesGetsTheTextOfEachError() throws Exception {
        int port = serve(false, Gdb.program("demo"));
        try (RawClient c = new RawClient(port)) {
            c.request("qSupported:multiprocess+;swbreak+;error-message+");
            assertTrue(c.request("?").startsWith("T05thread:"), log());
            for (String bad : List.of("m10,zz", "pzz", "Z0,zz,1", "Hgpzz", "vCont;cq")) {
                String reply = c.request(bad);
                assertTrue(reply.startsWith("E.") && reply.length() > 6, bad + " -> " + reply);
                for (char ch : reply.toCharArray()) {
                    assertTrue(ch >= 0x20 && ch < 0x7f && "$#*}".indexOf(ch) < 0, bad + " -> " + reply);
                }
            }
            String unreadable = c.request("m0,4");
            assertTrue(unreadable.startsWith("E."), unreadable);
            assertEquals("OK", c.request("D"));
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
    }

    /** The same packets in non-stop mode while the thread runs: errors, no stop, and the program is left to run. */
    @Test
    void malformedPacketsWhileTheThreadRunsNeitherStopNorHoldIt() throws Exception {
        launch(true, Gdb.program("demo"), "spin");
        server.start();
        String thread = "p" + Integer.toHexString(traced.pid()) + "." + Integer.toHexString(traced.pid());
        try (RawClient c = new RawClient(server.port())) {
            c.request("qSupported:multiprocess+;swbreak+");
            assertEquals("OK", c.request("QNonStop:1"));
            c.request("?");
            assertEquals("OK", c.request("vStopped"));
            assertEquals("OK", c.request("vCont;c"));
            for (String bad : List.of("vCont;x", "vCont;t:pzz", "vCont;C", "Hgpzz", "pzz", "mzz,4", "Z0,zz,1", "D;zz", "QNonStop")) {
                assertEquals("E01", c.request(bad), bad);
            }
            assertEquals("E02", c.request("g"), "still running: the malformed packets stopped nothing");
            // gdb's SIGUSR1 (30) ends the spin: the thread was running all along, and finishes.
            assertEquals("OK", c.request("vCont;t:" + thread));
            assertEquals("Stop:T00thread:" + thread + ";", c.readPacket());
            assertEquals("OK", c.request("vStopped"));
            assertEquals("OK", c.request("vCont;C1e:" + thread));
            assertEquals("Stop:W2a;process:" + Integer.toHexString(traced.pid()), c.readPacket());
            assertEquals("OK", c.request("vStopped"));
        }
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code(), log());
    }
}
