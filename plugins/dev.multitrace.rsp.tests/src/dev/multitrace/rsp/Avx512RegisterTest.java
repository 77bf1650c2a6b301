package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.XState;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The AVX-512 (org.gnu.gdb.i386.avx512) and protection-key (org.gnu.gdb.i386.pkeys) registers
 * through the real gdb: our description is accepted (gdb composes $zmm0-31 from it), reads show
 * what the program put there, and writes reach the program.
 */
class Avx512RegisterTest extends ServedProgramTest {

    @Test
    void theDescriptionHasAvx512AndPkeysExactlyWhereTheMachineDoes() {
        String xml = X86_64Registers.targetXml();
        assertEquals(XState.hasAvx512(), xml.contains("<feature name=\"" + X86_64Registers.AVX512 + "\">"), xml);
        assertEquals(XState.hasAvx512(), xml.contains("<reg name=\"zmm31h\" bitsize=\"256\" type=\"v2ui128\""), xml);
        assertEquals(XState.Component.PKRU.present(), xml.contains("<feature name=\"" + X86_64Registers.PKEYS + "\">"), xml);
        assertEquals(XState.Component.PKRU.present(), X86_64Registers.index("pkru") >= 0);
    }

    /** Writes as 'P' packets, one register each (gdb's default). */
    @Test
    void zmm17AndK1ReadAndWriteAndTheProgramSeesThem() throws Exception {
        zmm17AndK1(false);
    }

    /** Writes as 'G' packets (gdb told 'P' is unsupported): every register, the XSAVE ones written back only if changed. */
    @Test
    void zmm17AndK1WrittenWithGPackets() throws Exception {
        zmm17AndK1(true);
    }

    private void zmm17AndK1(boolean gPackets) throws Exception {
        assumeTrue(XState.hasAvx512(), XState.Component.HI16_ZMM.absence() + "; " + XState.Component.OPMASK.absence());
        String prog = Gdb.program("avx512regs");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "set remote set-register-packet " + (gPackets ? "off" : "auto"),
                "target remote 127.0.0.1:" + port,
                "break *avx512_stop",
                "continue",
                "p/x $zmm17.v16_int32",
                "p/x $k1",
                "set var $zmm17.v16_int32[0] = 0x71",
                "set var $zmm17.v16_int32[7] = 0x77",   // ymm17h
                "set var $zmm17.v16_int32[15] = 0x7f",  // zmm17h, upper half
                "set var $k1 = 0xa5c3",
                "p/x $zmm17.v16_int32",
                "p/x $k1",
                "p/x $zmm0.v16_int32[15]",
                "continue"));
        String out = show(run);
        assertTrue(run.has("$1 = {0x17000000, 0x17000001, 0x17000002, 0x17000003, 0x17000004, 0x17000005, 0x17000006,"
                + " 0x17000007, 0x17000008, 0x17000009, 0x1700000a, 0x1700000b, 0x1700000c, 0x1700000d, 0x1700000e,"
                + " 0x1700000f}"), out);
        assertTrue(run.has("$2 = 0x5a5a"), out);
        assertTrue(run.has("$3 = {0x71, 0x17000001, 0x17000002, 0x17000003, 0x17000004, 0x17000005, 0x17000006,"
                + " 0x77, 0x17000008, 0x17000009, 0x1700000a, 0x1700000b, 0x1700000c, 0x1700000d, 0x1700000e, 0x7f}"), out);
        assertTrue(run.has("$4 = 0xa5c3"), out);
        // zmm0-15's upper halves (ZMM_Hi256) are in the 'g' reply too; their offsets are XStateTest's
        assertTrue(run.has("$5 = 0x"), "zmm0's upper part reads: " + out);
        assertFalse(run.has("target description") || run.has("rejected"), "gdb took our description as it is: " + out);
        assertTrue(run.has("exited normally"), out);
        assertEquals("zmm17 71 17000001 17000002 17000003 17000004 17000005 17000006 77 17000008 17000009 1700000a"
                + " 1700000b 1700000c 1700000d 1700000e 7f\nk1 a5c3\n", programOutput(), out);
        assertEquals(0, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    @Test
    void pkruReadsAndWritesAndTheProgramSeesIt() throws Exception {
        assumeTrue(XState.Component.PKRU.present(), XState.Component.PKRU.absence());
        String prog = Gdb.program("pkru");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break *pkru_stop",
                "continue",
                "p/x $pkru",
                "set var $pkru = 0x30",
                "p/x $pkru",
                "continue"));
        String out = show(run);
        assertTrue(run.has("$1 = 0xc"), out);
        assertTrue(run.has("$2 = 0x30"), out);
        assertTrue(run.has("exited normally"), out);
        assertEquals("pkru 30\n", programOutput(), out);
    }
}
