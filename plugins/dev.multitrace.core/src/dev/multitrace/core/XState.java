package dev.multitrace.core;

import dev.multitrace.linux.x86_64.Cpuid;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;

/**
 * The XSAVE area of this machine as {@link Examination#xstate()} gives it (the kernel's
 * NT_X86_XSTATE regset: the standard, non-compacted format) and the state components beyond SSE
 * that the debuggers show: AVX (upper halves of ymm0-15), the AVX-512 opmask, ZMM_Hi256 and
 * Hi16_ZMM components, and PKRU. One description for the GDB stub and the Registers view.
 *
 * <p><b>Which components exist:</b> a component is described only when /proc/cpuinfo has its
 * flag (the kernel clears a feature's flag when it does not enable its state, and lists
 * {@code ospke} only when it enabled protection keys) <em>and</em> CPUID leaf 0xD enumerates it
 * with its architectural size. Nothing the CPU or kernel lacks is described.
 *
 * <p><b>Where they are:</b> CPUID leaf 0xD sub-leaf n, EBX (run by {@link Cpuid}). The offsets
 * differ between vendors: Intel keeps the MPX components' 128 bytes in the standard format on
 * every CPU (opmask at 1088, ZMM_Hi256 at 1152, Hi16_ZMM at 1664, PKRU at 2688) while AMD Zen 4
 * and 5 pack them (opmask at 832, ZMM_Hi256 at 896, Hi16_ZMM at 1408, PKRU at 2432), so no
 * constant table is right for both. Where CPUID cannot be run, AVX keeps its offset 576 (the
 * same on every CPU that has it) and the other components are not described.
 *
 * <p><b>Init state:</b> a component whose XSTATE_BV bit is clear is in its initial state, which
 * is all zeros for every component here, whatever its bytes in the area say; and the kernel
 * loads the initial state for a component whose bit is clear in an area written back. So
 * {@link #read} gives zeros for such a component, and {@link #write} zeroes the component, sets
 * its bit, then stores the value.
 */
public final class XState {

    /** Offset of XSTATE_BV (the XSAVE header's first word): which components are not in their initial state. */
    public static final int XSTATE_BV = 512;
    /**
     * Offset of the kernel's XCR0 in the regset: the kernel stores the state components it
     * enabled for user space in the first word of the fxsave area's software-reserved bytes (gdb
     * reads XCR0 from there too).
     */
    public static final int XCR0 = 464;
    /** Offset of xmm0 in the legacy (fxsave) region; xmm{@code i} is 16 bytes at {@code 160 + 16 i}. */
    public static final int XMM0 = 160;

    /** A state component beyond x87/SSE. */
    public enum Component {
        /** Upper 128 bits of ymm0-15. */
        AVX(2, 256, "avx"),
        /** k0-7, 8 bytes each. */
        OPMASK(5, 64, "avx512f"),
        /** Upper 256 bits of zmm0-15, 32 bytes each. */
        ZMM_HI256(6, 512, "avx512f"),
        /** All 512 bits of zmm16-31, 64 bytes each. */
        HI16_ZMM(7, 1024, "avx512f"),
        /** The protection-key rights register: 4 bytes, in an 8-byte component. */
        PKRU(9, 8, "ospke");

        /** The XSAVE feature number (its bit in XSTATE_BV and XCR0). */
        public final int number;
        /** Bytes of the component. */
        public final int size;
        private final String cpuFlag;
        /** Offset in the standard-format area; -1 where the component is not described. */
        private final int offset;
        /** Why the component is not described, or null when it is. */
        private final String absent;

        Component(int number, int size, String cpuFlag) {
            this.number = number;
            this.size = size;
            this.cpuFlag = cpuFlag;
            int at = -1;
            String why;
            if (!Probe.FLAGS.contains(cpuFlag)) {
                why = "/proc/cpuinfo has no " + cpuFlag + " flag";
            } else if (!Cpuid.available()) {
                if (number == 2) {
                    at = 576;
                    why = null;
                } else {
                    why = "CPUID cannot be run to locate it (" + Cpuid.UNAVAILABLE + ")";
                }
            } else {
                int[] r = Cpuid.query(0xd, number);
                if (r[0] != size || r[1] < 576) {
                    why = "CPUID leaf 0xD sub-leaf " + number + " gives size " + r[0] + " at offset " + r[1]
                            + ", not the architectural size " + size;
                } else {
                    at = r[1];
                    why = null;
                }
            }
            this.offset = at;
            this.absent = why;
        }

        /** Whether this machine has the component (and it is described). */
        public boolean present() {
            return offset >= 0;
        }

        /** Why the component is not described, or null when it is {@link #present()}. */
        public String absence() {
            return absent == null ? null : name() + " state not described: " + absent;
        }

        /** Its offset in the standard-format XSAVE area. */
        public int offset() {
            if (offset < 0) {
                throw new UnsupportedOperationException(absence());
            }
            return offset;
        }

        @Override
        public String toString() {
            return name() + (present() ? "@" + offset + "+" + size : " (absent: " + absent + ")");
        }
    }

    /** Whether this machine has the AVX-512 registers (zmm0-31, k0-7): all three AVX-512 components. */
    public static boolean hasAvx512() {
        return Component.OPMASK.present() && Component.ZMM_HI256.present() && Component.HI16_ZMM.present();
    }

    private XState() {
    }

    /** Whether {@code area} has {@code c} outside its initial state (its XSTATE_BV bit). */
    public static boolean inUse(byte[] area, Component c) {
        check(area, c);
        return (le64(area, XSTATE_BV) & (1L << c.number)) != 0;
    }

    /** {@code length} bytes at {@code at} within component {@code c} of {@code area}; zeros when the component is in its initial state. */
    public static byte[] read(byte[] area, Component c, int at, int length) {
        checkRange(c, at, length);
        if (!inUse(area, c)) {
            return new byte[length];
        }
        int from = c.offset() + at;
        return Arrays.copyOfRange(area, from, from + length);
    }

    /**
     * Stores {@code length} bytes of {@code value} from {@code valueOffset} at {@code at} within
     * component {@code c} of {@code area}, and marks the component in use (a component that was in
     * its initial state is zeroed first, so the rest of it keeps the value it had: zeros).
     */
    public static void write(byte[] area, Component c, int at, byte[] value, int valueOffset, int length) {
        checkRange(c, at, length);
        if (!inUse(area, c)) {
            Arrays.fill(area, c.offset(), c.offset() + c.size, (byte) 0);
            area[XSTATE_BV + c.number / 8] |= (byte) (1 << (c.number % 8));
        }
        System.arraycopy(value, valueOffset, area, c.offset() + at, length);
    }

    private static void checkRange(Component c, int at, int length) {
        if (at < 0 || length < 0 || at + length > c.size) {
            throw new IllegalArgumentException(length + " bytes at " + at + " are not within " + c);
        }
    }

    /** The area must hold the component, and the kernel must have enabled it: else our description and the kernel disagree. */
    private static void check(byte[] area, Component c) {
        int end = c.offset() + c.size;
        if (area.length < end) {
            throw new IllegalStateException("the kernel's XSAVE area has " + area.length + " bytes, too few for " + c);
        }
        if ((le64(area, XCR0) & (1L << c.number)) == 0) {
            throw new IllegalStateException("the kernel did not enable " + c + " (XCR0 "
                    + Long.toHexString(le64(area, XCR0)) + ")");
        }
    }

    private static long le64(byte[] b, int at) {
        return java.nio.ByteBuffer.wrap(b, at, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The CPU flags of /proc/cpuinfo, read once. */
    private static final class Probe {
        static final Set<String> FLAGS = flags();

        private static Set<String> flags() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                    if (line.startsWith("flags")) {
                        return Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    }
                }
            } catch (IOException unreadable) {
                // no /proc: describe no state beyond SSE rather than guess
            }
            return Set.of();
        }
    }
}
