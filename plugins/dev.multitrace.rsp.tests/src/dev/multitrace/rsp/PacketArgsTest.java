package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The packet argument reader and the error mapping, without a target. */
class PacketArgsTest {

    private static PacketArgs args(String packet) {
        return Request.of(packet.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)).args();
    }

    @Test
    void packetNames() {
        assertEquals("m", Request.nameOf("m10,4"));
        assertEquals("qXfer", Request.nameOf("qXfer:features:read:target.xml:0,fff"));
        assertEquals("qSupported", Request.nameOf("qSupported"));
        assertEquals("vCont?", Request.nameOf("vCont?"));
        assertEquals("vCont", Request.nameOf("vCont;c:p1.1"));
        assertEquals("qThreadExtraInfo", Request.nameOf("qThreadExtraInfo,p1.2"));
        assertEquals("QNonStop", Request.nameOf("QNonStop:1"));
        assertEquals("", Request.nameOf(""));
    }

    @Test
    void readsTheShapesPacketsShare() {
        PacketArgs m = args("m7ffc0010,40");
        assertArrayEquals(new long[] {0x7ffc0010L, 0x40}, m.addressLength());
        assertTrue(m.atEnd());

        PacketArgs p = args("P1a=0102");
        assertEquals(0x1a, p.hexInt());
        assertArrayEquals(new byte[] {1, 2}, p.expect('=').hexBytes());

        PacketArgs h = args("Hgp1f.20");
        assertEquals('g', h.character());
        assertEquals(new ThreadId(0x1f, 0x20), h.threadId());
        h.end();

        PacketArgs all = args("Hc-1");
        assertEquals('c', all.character());
        assertEquals(ThreadId.ALL_THREADS, all.threadId());

        PacketArgs z = args("Z0,401136,1;X3,0a0b0c");
        assertEquals(0, z.hexInt());
        assertEquals(0x401136L, z.expect(',').hex());
        assertEquals(1, z.expect(',').hexInt());
        assertFalse(z.atEnd());

        assertEquals(List.of("a", "", "b"), args("QPassSignals:a;;b").expect(':').list(';'));
        assertEquals(List.of(""), args("vRun;").expect(';').list(';'));
    }

    @Test
    void malformedArgumentsSayWhatWasExpectedWhere() {
        PacketError e = assertThrows(PacketError.class, () -> args("m10;4").addressLength());
        assertEquals(RspError.MALFORMED, e.error());
        assertTrue(e.getMessage().contains("expected ','") && e.getMessage().contains("offset 3"), e.getMessage());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("mzz,4").hex()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("m11112222333344445,1").hex()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("pffffffffffffffff").hexInt()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("M0,1:0").expect(',').hexBytes()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("M0,1:0g").expect(',').hexBytes()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("Hgpzz").threadId()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("g1").end()).error());
        assertEquals(RspError.MALFORMED, assertThrows(PacketError.class, () -> args("H").character()).error());
    }

    @Test
    void oneMappingFromExceptionsToReplies() {
        assertEquals("E01", RspError.of(RspError.MALFORMED.error("x")).reply());
        assertEquals("E01", RspError.of(new IllegalArgumentException("bad hex")).reply());
        assertEquals("E01", RspError.of(new IndexOutOfBoundsException()).reply());
        assertEquals("E02", RspError.of(new IllegalStateException("not held")).reply());
        assertEquals("E03", RspError.of(new dev.multitrace.core.TracingException("task gone")).reply());
        assertEquals("E00", RspError.of(RspError.NO_SUCH_ANNEX.error("x")).reply());
        for (RspError e : RspError.values()) {
            assertTrue(e.reply().matches("E[0-9a-f]{2}"), e + " " + e.reply());
        }
    }
}
