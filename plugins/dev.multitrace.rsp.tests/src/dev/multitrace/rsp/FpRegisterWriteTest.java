package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** gdb writes x87 and SSE registers (P packets into the fxsave area) and the program sees them. */
class FpRegisterWriteTest extends ServedProgramTest {

    @Test
    void setXmmAndStRoundTripAndTheProgramSeesThem() throws Exception {
        String prog = Gdb.program("fpregs");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break *fp_stop",
                "continue",
                "p $st0",
                "p $xmm0.v4_int32[0]",
                "set $xmm0.v4_int32[0] = 7",
                "set $xmm0.v4_int32[3] = -2",
                "set $st0 = 1.5",
                "p $xmm0.v4_int32",
                "p $st0",
                "p $ftag",
                "continue"));
        String out = show(run);
        assertTrue(run.has("$1 = 0.25"), out);
        assertTrue(run.has("$2 = 0"), out);
        assertTrue(run.has("$3 = {7, 0, 0, -2}"), out);
        assertTrue(run.has("$4 = 1.5"), out);
        // fld made physical register 7 the top: valid (tag 00), the other seven empty (11)
        assertTrue(run.has("$5 = 16383"), out);
        assertTrue(run.has("exited normally"), out);
        assertEquals("xmm0=7 st0=1.5\n", programOutput(), out);
        assertEquals(0, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    /** With AVX: the ymm upper halves (org.gnu.gdb.i386.avx, XSAVE area) read and write through gdb's $ymm0. */
    @Test
    void setYmmUpperHalfAndTheProgramSeesIt() throws Exception {
        if (!X86_64Registers.HAS_AVX) {
            // No AVX on this CPU: nothing to write, and gdb must not be told of ymm registers.
            assertTrue(!X86_64Registers.targetXml().contains(X86_64Registers.AVX));
            return;
        }
        String prog = Gdb.program("avxregs");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break *avx_stop",
                "continue",
                "p $ymm0.v8_int32",
                "set $ymm0.v8_int32[4] = 9",
                "set $ymm0.v8_int32[7] = 5",
                "p $ymm0.v8_int32",
                "continue"));
        String out = show(run);
        assertTrue(run.has("$1 = {0, 0, 0, 0, 0, 0, 0, 0}"), out);
        assertTrue(run.has("$2 = {0, 0, 0, 0, 9, 0, 0, 5}"), out);
        assertTrue(run.has("exited normally"), out);
        assertEquals("ymm0 high=9 0 0 5\n", programOutput(), out);
    }
}
