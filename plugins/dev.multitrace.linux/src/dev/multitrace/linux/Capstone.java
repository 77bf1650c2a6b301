package dev.multitrace.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.LongByReference;
import com.sun.jna.ptr.PointerByReference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * x86-64 machine code decoded by Capstone 4 ({@code libcapstone.so.4}, Debian's {@code libcapstone4}),
 * in AT&amp;T syntax as objdump prints by default. Only what decoding needs of its C API is bound:
 * {@code cs_open}, {@code cs_option}, {@code cs_disasm}, {@code cs_free}, {@code cs_close}.
 * <p>
 * Interface mapping, not direct: a disassembly is one call per view request, never on a stop's path.
 * A handle is opened per {@link #decodeX86_64} call because a Capstone handle must not be used by two
 * threads at once, and opening one costs microseconds.
 */
public final class Capstone {

    /** What to install when the library is missing. */
    public static final String PACKAGE = "libcapstone4";

    private static final int CS_ARCH_X86 = 3;
    private static final int CS_MODE_64 = 1 << 3;
    private static final int CS_OPT_SYNTAX = 1;
    private static final int CS_OPT_SYNTAX_ATT = 2;
    private static final int CS_ERR_OK = 0;
    /** Capstone 4's x86 instructions are at most 15 bytes; its {@code cs_insn.bytes} holds 16 (5.x: 24). */
    private static final int INSN_BYTES = 16;
    private static final int MNEMONIC_SIZE = 32;
    /** The longest x86 instruction. */
    public static final int MAX_INSTRUCTION = 15;
    private static final int OP_STR_SIZE = 160;

    private Capstone() {
    }

    /** The part of Capstone's C API this binding uses ({@code csh} is a {@code size_t}). */
    interface Lib extends Library {
        int cs_version(IntByReference major, IntByReference minor);

        int cs_open(int arch, int mode, LongByReference handle);

        int cs_option(long handle, int type, long value);

        long cs_disasm(long handle, byte[] code, long codeSize, long address, long count, PointerByReference insn);

        void cs_free(Pointer insn, long count);

        int cs_close(LongByReference handle);

        String cs_strerror(int code);
    }

    /** Capstone 4's {@code cs_insn} (the detail pointer stays null: detail is off). */
    @Structure.FieldOrder({ "id", "address", "size", "bytes", "mnemonic", "op_str", "detail" })
    public static final class Insn extends Structure {
        public int id;
        public long address;
        public short size;
        public byte[] bytes = new byte[INSN_BYTES];
        public byte[] mnemonic = new byte[MNEMONIC_SIZE];
        public byte[] op_str = new byte[OP_STR_SIZE];
        public Pointer detail;

        public Insn() {
        }

        int offsetOf(String field) {
            return fieldOffset(field);
        }
    }

    /** Loaded once; a missing or wrong library is remembered as the reason, said again at each use. */
    private static final class Holder {
        static final Lib LIB;
        static final String PROBLEM;

        static {
            Lib lib = null;
            String problem = null;
            try {
                lib = load();
                IntByReference major = new IntByReference();
                IntByReference minor = new IntByReference();
                lib.cs_version(major, minor);
                if (major.getValue() != 4) {
                    problem = "Capstone " + major.getValue() + "." + minor.getValue() + " found, this binding is for 4.x ("
                            + PACKAGE + ")";
                    lib = null;
                }
            } catch (UnsatisfiedLinkError e) {
                problem = "disassembly needs Capstone 4 (libcapstone.so.4): install it with 'apt-get install " + PACKAGE
                        + "' (" + e.getMessage() + ")";
            }
            LIB = lib;
            PROBLEM = problem;
        }

        private static Lib load() {
            try {
                // the versioned name: without the -dev package there is no libcapstone.so link
                return Native.load("libcapstone.so.4", Lib.class);
            } catch (UnsatisfiedLinkError e) {
                return Native.load("capstone", Lib.class);
            }
        }
    }

    /** Why decoding cannot work here (library missing or of another major version), or null if it can. */
    public static String unavailableReason() {
        return Holder.PROBLEM;
    }

    /**
     * Decodes {@code code}, which is at {@code address}, into at most {@code max} instructions. Bytes that
     * are no instruction become a one-byte {@code (bad)} entry and decoding goes on after them; undecodable
     * bytes in the last {@link #MAX_INSTRUCTION} - 1 end the result instead (an instruction may go on past
     * them): give that many bytes more than the range wanted.
     *
     * @throws UnsupportedOperationException if Capstone 4 is not installed, saying what to install
     */
    public static List<DecodedInstruction> decodeX86_64(byte[] code, long address, int max) {
        Lib lib = Holder.LIB;
        if (lib == null) {
            throw new UnsupportedOperationException(Holder.PROBLEM);
        }
        synchronized (Handle.class) { // a Capstone handle is not for two threads at once
            long h = Handle.get(lib);
            List<DecodedInstruction> out = new ArrayList<>();
            int at = 0;
            while (at < code.length && out.size() < max) {
                byte[] rest = at == 0 ? code : Arrays.copyOfRange(code, at, code.length);
                PointerByReference insns = new PointerByReference();
                long n = lib.cs_disasm(h, rest, rest.length, address + at, max - out.size(), insns);
                if (n > 0) {
                    Pointer p = insns.getValue();
                    try {
                        for (long k = 0; k < n; k++) {
                            long base = k * Layout.SIZE;
                            int size = Short.toUnsignedInt(p.getShort(base + Layout.SIZE_AT));
                            out.add(new DecodedInstruction(p.getLong(base + Layout.ADDRESS_AT), p.getByteArray(base + Layout.BYTES_AT, size),
                                    p.getString(base + Layout.MNEMONIC_AT, "US-ASCII"), p.getString(base + Layout.OP_STR_AT, "US-ASCII")));
                            at += size;
                        }
                    } finally {
                        lib.cs_free(p, n);
                    }
                }
                if (n == 0) {
                    if (code.length - at < MAX_INSTRUCTION) {
                        break; // perhaps an instruction that goes on past the bytes given
                    }
                    // cs_disasm stops at the first undecodable byte: say so, step over it, go on
                    out.add(new DecodedInstruction(address + at, new byte[] { code[at] }, "(bad)", ""));
                    at++;
                }
            }
            return out;
        }
    }

    /**
     * Where {@code cs_insn}'s fields are, from the JNA mapping above: the instructions are read field by field
     * at these offsets, not through {@link Structure#read} (which costs more per instruction, by reflection, than
     * Capstone's decoding; a line step decodes its row at every stop, see the session's {@code StraightRun}).
     */
    private static final class Layout {
        static final int SIZE;
        static final int ADDRESS_AT;
        static final int SIZE_AT;
        static final int BYTES_AT;
        static final int MNEMONIC_AT;
        static final int OP_STR_AT;

        static {
            Insn i = new Insn();
            SIZE = i.size();
            ADDRESS_AT = i.offsetOf("address");
            SIZE_AT = i.offsetOf("size");
            BYTES_AT = i.offsetOf("bytes");
            MNEMONIC_AT = i.offsetOf("mnemonic");
            OP_STR_AT = i.offsetOf("op_str");
        }
    }

    /**
     * One Capstone handle for the JVM, opened at the first decoding with AT&amp;T syntax and kept: opening one
     * allocates and sets up tables, more than decoding a line's instructions costs. Used under its class's lock.
     */
    private static final class Handle {
        private static long handle;

        static long get(Lib lib) {
            if (handle == 0) {
                LongByReference h = new LongByReference();
                check(lib, lib.cs_open(CS_ARCH_X86, CS_MODE_64, h), "cs_open");
                int err = lib.cs_option(h.getValue(), CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
                if (err != CS_ERR_OK) {
                    lib.cs_close(h);
                    check(lib, err, "cs_option(syntax AT&T)");
                }
                handle = h.getValue();
            }
            return handle;
        }
    }

    private static void check(Lib lib, int err, String call) {
        if (err != CS_ERR_OK) {
            throw new IllegalStateException(call + ": " + lib.cs_strerror(err));
        }
    }
}
