package dev.multitrace.rsp;

import dev.multitrace.core.XState;

import java.util.ArrayList;
import java.util.List;

/**
 * The x86-64 register file as gdb numbers it in our target description: the general registers
 * (org.gnu.gdb.i386.core), the x87 and SSE state (core and org.gnu.gdb.i386.sse, from the
 * kernel's fxsave area), orig_rax (org.gnu.gdb.i386.linux), the fs/gs bases
 * (org.gnu.gdb.i386.segments), and from the XSAVE area where the machine has them the ymm upper
 * halves (org.gnu.gdb.i386.avx), the AVX-512 state (org.gnu.gdb.i386.avx512: xmm16-31, ymm16h-31h,
 * k0-7, zmm0h-31h; gdb composes zmm0-31 from them) and PKRU (org.gnu.gdb.i386.pkeys), in
 * gdbserver's order. The 'g' packet is these registers in this order. Which XSAVE components
 * exist and where they are is {@link XState}'s, shared with the IDE's Registers view.
 */
final class X86_64Registers {

    /** Where a register's value lives. */
    enum Source {
        /** A word of struct user_regs_struct (index into the service's GeneralRegisters.values()). */
        GENERAL,
        /** Bytes of the fxsave area at {@code offset}. */
        FXSAVE,
        /** The 16-bit full tag word, rebuilt from the abridged tag of the fxsave area. */
        FTAG,
        /** Bytes {@code index} of XSAVE component {@code component} (ymm, zmm upper parts, k, pkru). */
        XSTATE
    }

    /**
     * One register: gdb's name, size in bytes, where its value is, and its description type. A
     * null group leaves the register's group to gdb's own x86-64 code, as gdb's own descriptions
     * of the AVX-512 and pkeys features do.
     */
    record Reg(String name, int size, Source source, int index, String type, String group, String feature,
            XState.Component component) {
        Reg(String name, int size, Source source, int index, String type, String group, String feature) {
            this(name, size, source, index, type, group, feature, null);
        }

        /** A register of the XSAVE area: {@code size} bytes at {@code at} within {@code component}. */
        static Reg xstate(String name, int size, XState.Component component, int at, String type, String feature) {
            return new Reg(name, size, Source.XSTATE, at, type, null, feature, component);
        }
    }

    static final String CORE = "org.gnu.gdb.i386.core";
    static final String SSE = "org.gnu.gdb.i386.sse";
    static final String LINUX = "org.gnu.gdb.i386.linux";
    static final String SEGMENTS = "org.gnu.gdb.i386.segments";
    static final String AVX = "org.gnu.gdb.i386.avx";
    static final String AVX512 = "org.gnu.gdb.i386.avx512";
    static final String PKEYS = "org.gnu.gdb.i386.pkeys";

    /** Whether the machine has AVX (the ymm registers are described and read only then). */
    static final boolean HAS_AVX = XState.Component.AVX.present();

    static final List<Reg> ALL = build();

    /** Register numbers gdb's x86-64 code relies on. */
    static final int RSP = 7, RIP = 16, ORIG_RAX = 57;

    private X86_64Registers() {
    }

    private static List<Reg> build() {
        List<Reg> r = new ArrayList<>();
        // user_regs_struct word indexes (sys/user.h order)
        String[] gp = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip"};
        int[] gpIndex = {10, 5, 11, 12, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16};
        for (int i = 0; i < gp.length; i++) {
            String type = switch (gp[i]) {
                case "rbp", "rsp" -> "data_ptr";
                case "rip" -> "code_ptr";
                default -> "int64";
            };
            r.add(new Reg(gp[i], 8, Source.GENERAL, gpIndex[i], type, "general", CORE));
        }
        r.add(new Reg("eflags", 4, Source.GENERAL, 18, "i386_eflags", "general", CORE));
        String[] seg = {"cs", "ss", "ds", "es", "fs", "gs"};
        int[] segIndex = {17, 20, 23, 24, 25, 26};
        for (int i = 0; i < seg.length; i++) {
            r.add(new Reg(seg[i], 4, Source.GENERAL, segIndex[i], "int32", "general", CORE));
        }
        for (int i = 0; i < 8; i++) {
            r.add(new Reg("st" + i, 10, Source.FXSAVE, 32 + 16 * i, "i387_ext", "float", CORE));
        }
        // fxsave (64-bit layout): fcw@0 fsw@2 ftw@4 fop@6 fip@8 (fioff low, fiseg high) fdp@16 mxcsr@24
        r.add(new Reg("fctrl", 4, Source.FXSAVE, 0, "int", "float", CORE));
        r.add(new Reg("fstat", 4, Source.FXSAVE, 2, "int", "float", CORE));
        r.add(new Reg("ftag", 4, Source.FTAG, 4, "int", "float", CORE));
        r.add(new Reg("fiseg", 4, Source.FXSAVE, 12, "int", "float", CORE));
        r.add(new Reg("fioff", 4, Source.FXSAVE, 8, "int", "float", CORE));
        r.add(new Reg("foseg", 4, Source.FXSAVE, 20, "int", "float", CORE));
        r.add(new Reg("fooff", 4, Source.FXSAVE, 16, "int", "float", CORE));
        r.add(new Reg("fop", 4, Source.FXSAVE, 6, "int", "float", CORE));
        for (int i = 0; i < 16; i++) {
            r.add(new Reg("xmm" + i, 16, Source.FXSAVE, 160 + 16 * i, "vec128", "vector", SSE));
        }
        r.add(new Reg("mxcsr", 4, Source.FXSAVE, 24, "i386_mxcsr", "vector", SSE));
        r.add(new Reg("orig_rax", 8, Source.GENERAL, 15, "int", "system", LINUX));
        r.add(new Reg("fs_base", 8, Source.GENERAL, 21, "int", "system", SEGMENTS));
        r.add(new Reg("gs_base", 8, Source.GENERAL, 22, "int", "system", SEGMENTS));
        if (HAS_AVX) {
            for (int i = 0; i < 16; i++) {
                r.add(new Reg("ymm" + i + "h", 16, Source.XSTATE, 16 * i, "uint128", "vector", AVX, XState.Component.AVX));
            }
        }
        if (HAS_AVX && XState.hasAvx512()) {
            // Hi16_ZMM holds all 512 bits of zmm16-31 (64 bytes each): xmm, ymm upper, zmm upper.
            for (int i = 0; i < 16; i++) {
                r.add(Reg.xstate("xmm" + (16 + i), 16, XState.Component.HI16_ZMM, 64 * i, "vec128", AVX512));
            }
            for (int i = 0; i < 16; i++) {
                r.add(Reg.xstate("ymm" + (16 + i) + "h", 16, XState.Component.HI16_ZMM, 64 * i + 16, "uint128", AVX512));
            }
            for (int i = 0; i < 8; i++) {
                r.add(Reg.xstate("k" + i, 8, XState.Component.OPMASK, 8 * i, "uint64", AVX512));
            }
            for (int i = 0; i < 16; i++) {
                r.add(Reg.xstate("zmm" + i + "h", 32, XState.Component.ZMM_HI256, 32 * i, "v2ui128", AVX512));
            }
            for (int i = 0; i < 16; i++) {
                r.add(Reg.xstate("zmm" + (16 + i) + "h", 32, XState.Component.HI16_ZMM, 64 * i + 32, "v2ui128", AVX512));
            }
        }
        if (XState.Component.PKRU.present()) {
            r.add(Reg.xstate("pkru", 4, XState.Component.PKRU, 0, "uint32", PKEYS));
        }
        return List.copyOf(r);
    }

    /** How many bytes of a fxsave field a register takes: fcw, fsw and fop are 16 bits in fxsave. */
    static int fxsaveWidth(Reg reg) {
        return switch (reg.name()) {
            case "fctrl", "fstat", "fop" -> 2;
            default -> Math.min(reg.size(), 16);
        };
    }

    /** The value of {@code reg} in target byte order, as hex for the 'g'/'p' replies. */
    static String encode(Reg reg, long[] words, byte[] fxsave, byte[] xstate) {
        switch (reg.source()) {
            case GENERAL:
                return Hex.littleEndian(words[reg.index()], reg.size());
            case FTAG:
                return Hex.littleEndian(fullTag(fxsave), 4);
            case XSTATE:
                // zeros for a component in its initial state, whatever its bytes say
                return Hex.encode(XState.read(xstate, reg.component(), reg.index(), reg.size()));
            default:
                int width = fxsaveWidth(reg);
                byte[] b = new byte[reg.size()];
                System.arraycopy(fxsave, reg.index(), b, 0, width);
                if (reg.name().equals("fop")) {
                    b[1] &= 0x07; // fop is 11 bits
                }
                return Hex.encode(b);
        }
    }

    /**
     * Stores gdb's value of the x87/SSE register {@code reg} (target byte order, {@code size}
     * bytes at {@code off}) into the fxsave area {@code fx}: the inverse of {@link #encode}. The
     * full tag word goes back to the abridged one (a register is non-empty unless its tag is 3).
     */
    static void decodeInto(Reg reg, byte[] value, int off, byte[] fx) {
        switch (reg.source()) {
            case GENERAL:
                throw new IllegalArgumentException(reg.name() + " is a general register");
            case XSTATE:
                throw new IllegalArgumentException(reg.name() + " is in the XSAVE area");
            case FTAG: {
                int full = (int) Hex.fromLittleEndian(value, off, 2);
                int abridged = 0;
                for (int phys = 0; phys < 8; phys++) {
                    if (((full >> (2 * phys)) & 3) != 3) {
                        abridged |= 1 << phys;
                    }
                }
                fx[reg.index()] = (byte) abridged;
                return;
            }
            default:
                System.arraycopy(value, off, fx, reg.index(), fxsaveWidth(reg));
                if (reg.name().equals("fop")) {
                    fx[reg.index() + 1] &= 0x07;
                }
        }
    }

    /**
     * Stores gdb's value of an XSAVE-area register into {@code xs}; the component is marked in
     * use (XSTATE_BV), or the kernel would load its initial state instead.
     */
    static void decodeIntoXState(Reg reg, byte[] value, int off, byte[] xs) {
        XState.write(xs, reg.component(), reg.index(), value, off, reg.size());
    }

    /**
     * The x87 tag word gdb shows (two bits per physical register) from the abridged one fxsave
     * keeps (one bit: empty or not): a non-empty register is classified by its contents.
     */
    static int fullTag(byte[] fx) {
        int abridged = fx[4] & 0xff;
        int top = ((fx[2] & 0xff | (fx[3] & 0xff) << 8) >> 11) & 7;
        int tag = 0;
        for (int phys = 0; phys < 8; phys++) {
            int t;
            if ((abridged & (1 << phys)) == 0) {
                t = 3; // empty
            } else {
                int st = (phys - top) & 7;
                int off = 32 + 16 * st;
                int exponent = ((fx[off + 9] & 0x7f) << 8) | (fx[off + 8] & 0xff);
                long mantissa = Hex.fromLittleEndian(fx, off, 8);
                if (exponent == 0x7fff) {
                    t = 2; // special: infinity or NaN
                } else if (exponent == 0) {
                    t = mantissa == 0 ? 1 : 2; // zero, or denormal (special)
                } else {
                    t = mantissa < 0 ? 0 : 2; // valid needs the integer bit (bit 63)
                }
            }
            tag |= t << (2 * phys);
        }
        return tag;
    }

    static int index(String name) {
        for (int i = 0; i < ALL.size(); i++) {
            if (ALL.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** The target description (qXfer:features:read:target.xml). */
    static String targetXml() {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n");
        x.append("<architecture>i386:x86-64</architecture>\n<osabi>GNU/Linux</osabi>\n");
        String feature = null;
        for (int i = 0; i < ALL.size(); i++) {
            Reg reg = ALL.get(i);
            if (!reg.feature().equals(feature)) {
                if (feature != null) {
                    x.append("</feature>\n");
                }
                feature = reg.feature();
                x.append("<feature name=\"").append(feature).append("\">\n");
                x.append(types(feature));
            }
            x.append("<reg name=\"").append(reg.name()).append("\" bitsize=\"").append(reg.size() * 8)
                    .append("\" type=\"").append(reg.type()).append("\" regnum=\"").append(i).append("\"");
            if (reg.group() != null && !reg.group().equals("general")) {
                x.append(" group=\"").append(reg.group()).append("\"");
            }
            x.append("/>\n");
        }
        x.append("</feature>\n</target>\n");
        return x.toString();
    }

    /** The named types a feature's registers use (gdb predefines int64, code_ptr, i387_ext...). */
    private static String types(String feature) {
        if (feature.equals(CORE)) {
            StringBuilder f = new StringBuilder("<flags id=\"i386_eflags\" size=\"4\">\n");
            String[][] bits = {{"CF", "0"}, {"", "1"}, {"PF", "2"}, {"AF", "4"}, {"ZF", "6"}, {"SF", "7"},
                {"TF", "8"}, {"IF", "9"}, {"DF", "10"}, {"OF", "11"}, {"NT", "14"}, {"RF", "16"},
                {"VM", "17"}, {"AC", "18"}, {"VIF", "19"}, {"VIP", "20"}, {"ID", "21"}};
            for (String[] b : bits) {
                f.append("<field name=\"").append(b[0]).append("\" start=\"").append(b[1])
                        .append("\" end=\"").append(b[1]).append("\"/>\n");
            }
            return f.append("</flags>\n").toString();
        }
        if (feature.equals(AVX512)) {
            // gdb's 64bit-avx512.xml declares its own vec128 for xmm16-31, and v2ui128 for zmmNh
            return vec128() + "<vector id=\"v2ui128\" type=\"uint128\" count=\"2\"/>\n";
        }
        if (feature.equals(SSE)) {
            StringBuilder f = new StringBuilder(vec128());
            f.append("<flags id=\"i386_mxcsr\" size=\"4\">\n");
            String[] names = {"IE", "DE", "ZE", "OE", "UE", "PE", "DAZ", "IM", "DM", "ZM", "OM", "UM", "PM", "FZ"};
            int[] at = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15};
            for (int i = 0; i < names.length; i++) {
                f.append("<field name=\"").append(names[i]).append("\" start=\"").append(at[i])
                        .append("\" end=\"").append(at[i]).append("\"/>\n");
            }
            return f.append("</flags>\n").toString();
        }
        return "";
    }

    /** The 128-bit vector union of the sse and avx512 features (gdb's vec128). */
    private static String vec128() {
        StringBuilder f = new StringBuilder();
        f.append("<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>\n");
        f.append("<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>\n");
        f.append("<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>\n");
        f.append("<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>\n");
        f.append("<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>\n");
        f.append("<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>\n");
        f.append("<union id=\"vec128\">\n");
        f.append("<field name=\"v4_float\" type=\"v4f\"/>\n<field name=\"v2_double\" type=\"v2d\"/>\n");
        f.append("<field name=\"v16_int8\" type=\"v16i8\"/>\n<field name=\"v8_int16\" type=\"v8i16\"/>\n");
        f.append("<field name=\"v4_int32\" type=\"v4i32\"/>\n<field name=\"v2_int64\" type=\"v2i64\"/>\n");
        f.append("<field name=\"uint128\" type=\"uint128\"/>\n</union>\n");
        return f.toString();
    }
}
