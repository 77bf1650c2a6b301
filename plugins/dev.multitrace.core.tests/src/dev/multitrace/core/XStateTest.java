package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.XState.Component;
import dev.multitrace.linux.Signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * The XSAVE layout {@link XState} describes, checked against a real program: where CPUID (as the
 * C program runs it) puts each component, how big the kernel's regset is, and that the bytes at
 * the described offsets are the registers the program set, and become what it sees after a write.
 */
class XStateTest extends ServiceTest {

    /** What an engine did at the program's int3, or the failure it met there. */
    private record AtTrap(byte[] before, Throwable failure) {
    }

    @Test
    void avx512RegistersAreWhereXStateSaysAndWritesReachTheProgram() throws Exception {
        assumeTrue(XState.hasAvx512(), String.valueOf(Component.OPMASK.absence()) + "; " + Component.HI16_ZMM.absence());
        CompletableFuture<AtTrap> atTrap = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.signal() != Signal.SIGTRAP) {
                    return ResumeAction.RESUME;
                }
                report.setAction(SignalAction.IGN); // the program's own int3: not delivered
                try {
                    Examination x = engine.examine();
                    byte[] area = x.xstate();
                    byte[] before = area.clone();
                    XState.write(area, Component.HI16_ZMM, 64, dwords(0x71000000, 16), 0, 64);   // zmm17
                    XState.write(area, Component.ZMM_HI256, 3 * 32, dwords(0x3f000008, 8), 0, 32); // zmm3 bits 256-511
                    XState.write(area, Component.OPMASK, 8, le64(0xa5c3), 0, 8);                  // k1
                    x.setXState(area);
                    atTrap.complete(new AtTrap(before, null));
                } catch (Throwable t) {
                    atTrap.complete(new AtTrap(null, t));
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("xstate"), ops, "xstate", EnumSet.of(Event.SIGNAL, Event.SIGNAL_CORE));
        e.control(ResumeAction.RESUME);
        TracedProcess p = e.task().process();
        List<String> out = Programs.readAll(p.stdout()).lines().toList();
        assertEquals(0, await(p.exitStatus()).code(), String.join("\n", out));
        AtTrap trap = await(atTrap);
        if (trap.failure() != null) {
            throw new AssertionError("at the int3: " + trap.failure(), trap.failure());
        }
        byte[] area = trap.before();

        // The layout: CPUID in the program agrees with the CPUID XState ran, and the kernel's
        // regset is the standard-format size of the enabled features.
        assertEquals("size " + area.length, out.get(0), "the regset is CPUID's XCR0 size");
        for (Component c : List.of(Component.AVX, Component.OPMASK, Component.ZMM_HI256, Component.HI16_ZMM)) {
            assertTrue(out.contains("component " + c.number + " size " + c.size + " offset " + c.offset()),
                    c + " vs the program's CPUID: " + out);
        }
        // What the program put there, at the described offsets.
        assertTrue(XState.inUse(area, Component.HI16_ZMM) && XState.inUse(area, Component.OPMASK)
                && XState.inUse(area, Component.ZMM_HI256), "the program's registers are not in their init state");
        assertArrayEquals(dwords(0x17000000, 16), XState.read(area, Component.HI16_ZMM, 64, 64), "zmm17");
        assertArrayEquals(dwords(0x33000008, 8), XState.read(area, Component.ZMM_HI256, 3 * 32, 32), "zmm3 bits 256-511");
        assertArrayEquals(dwords(0x33000004, 4), XState.read(area, Component.AVX, 3 * 16, 16), "zmm3 bits 128-255");
        assertArrayEquals(le64(0x5a5a), XState.read(area, Component.OPMASK, 8, 8), "k1");
        // What the program saw after the write (zmm3's low 256 bits untouched).
        assertEquals("zmm3 33000000 33000001 33000002 33000003 33000004 33000005 33000006 33000007"
                + " 3f000008 3f000009 3f00000a 3f00000b 3f00000c 3f00000d 3f00000e 3f00000f", out.get(6));
        assertEquals("zmm17 " + hexDwords(0x71000000, 16), out.get(7));
        assertEquals("k1 a5c3", out.get(8));
    }

    /** PKRU through the regset: the program set 0xc; the engine sees it and writes 0x30, which the program then reads. */
    @Test
    void pkruIsWhereXStateSaysAndAWriteReachesTheProgram() throws Exception {
        assumeTrue(Component.PKRU.present(), Component.PKRU.absence());
        List<byte[]> seen = new ArrayList<>();
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction signal(Engine engine, Task task, SignalReport report) {
                if (report.signal() == Signal.SIGTRAP) {
                    report.setAction(SignalAction.IGN);
                    try {
                        Examination x = engine.examine();
                        byte[] area = x.xstate();
                        seen.add(XState.read(area, Component.PKRU, 0, 4));
                        XState.write(area, Component.PKRU, 0, le64(0x30), 0, 4);
                        x.setXState(area);
                        done.complete(null);
                    } catch (Throwable t) {
                        done.complete(t);
                    }
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("pkru", "trap"), ops, "pkru", EnumSet.of(Event.SIGNAL, Event.SIGNAL_CORE));
        e.control(ResumeAction.RESUME);
        TracedProcess p = e.task().process();
        String out = Programs.readAll(p.stdout());
        assertEquals(0, await(p.exitStatus()).code(), out);
        Throwable failure = await(done);
        assertFalse(failure != null, () -> "at the int3: " + failure);
        assertArrayEquals(new byte[] {0xc, 0, 0, 0}, seen.get(0), "PKRU as the program set it");
        assertEquals("pkru 30\n", out);
    }

    /** {@code count} little-endian dwords first, first+1, ... */
    private static byte[] dwords(int first, int count) {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putInt(first + i);
        }
        return b.array();
    }

    private static String hexDwords(int first, int count) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            s.add(Integer.toHexString(first + i));
        }
        return String.join(" ", s);
    }

    private static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
