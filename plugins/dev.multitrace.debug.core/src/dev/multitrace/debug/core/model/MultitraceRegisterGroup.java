package dev.multitrace.debug.core.model;

import dev.multitrace.core.XState;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;

/**
 * A group of the Registers view: General, Flags, Segment, FP/SSE/AVX, and where the machine has
 * them ({@link XState}) AVX-512 and Protection keys. The registers read their values from the
 * frame's thread when asked (while it is suspended).
 */
public final class MultitraceRegisterGroup extends MultitraceDebugElement implements IRegisterGroup {

    public static final String GENERAL = "General";
    public static final String FLAGS = "Flags";
    public static final String SEGMENT = "Segment";
    public static final String FP = "FP/SSE/AVX";
    public static final String AVX512 = "AVX-512";
    public static final String PKEYS = "Protection keys";

    private static final List<String> GENERAL_NAMES = List.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "orig_rax");
    private static final List<String> SEGMENT_NAMES = List.of("cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base");
    private static final String[] FLAG_NAMES = {"CF", null, "PF", null, "AF", null, "ZF", "SF", "TF", "IF", "DF", "OF"};

    private final MultitraceStackFrame frame;
    private final String name;
    private final List<MultitraceRegister> registers = new ArrayList<>();

    MultitraceRegisterGroup(MultitraceStackFrame frame, String name) {
        super(frame.getDebugTarget());
        this.frame = frame;
        this.name = name;
        switch (name) {
            case GENERAL -> GENERAL_NAMES.forEach(n -> add(n, new RegisterKind.General(n), "uint64"));
            case SEGMENT -> SEGMENT_NAMES.forEach(n -> add(n, new RegisterKind.General(n), "uint64"));
            case FLAGS -> {
                add("eflags", new RegisterKind.General("eflags"), "uint64");
                for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
                    if (FLAG_NAMES[bit] != null) {
                        add(FLAG_NAMES[bit], new RegisterKind.Flag(bit), "bit");
                    }
                }
            }
            case FP -> {
                add("fcw", new RegisterKind.FpArea(0, 2), "uint16");
                add("fsw", new RegisterKind.FpArea(2, 2), "uint16");
                add("ftw", new RegisterKind.FpArea(4, 1), "uint8");
                add("fop", new RegisterKind.FpArea(6, 2), "uint16");
                add("fip", new RegisterKind.FpArea(8, 8), "uint64");
                add("fdp", new RegisterKind.FpArea(16, 8), "uint64");
                add("mxcsr", new RegisterKind.FpArea(24, 4), "uint32");
                for (int i = 0; i < 8; i++) {
                    add("st" + i, new RegisterKind.FpArea(32 + 16 * i, 10), "float80");
                }
                for (int i = 0; i < 16; i++) {
                    add("xmm" + i, new RegisterKind.FpArea(160 + 16 * i, 16), "vec128");
                }
                for (int i = 0; i < 16; i++) {
                    add("ymm" + i, new RegisterKind.Ymm(i), "vec256");
                }
            }
            case AVX512 -> {
                for (int i = 0; i < 32; i++) {
                    add("zmm" + i, new RegisterKind.Zmm(i), "vec512");
                }
                for (int i = 0; i < 8; i++) {
                    add("k" + i, new RegisterKind.XStateBytes(XState.Component.OPMASK, 8 * i, 8), "uint64");
                }
            }
            case PKEYS -> add("pkru", new RegisterKind.XStateBytes(XState.Component.PKRU, 0, 4), "uint32");
            default -> throw new IllegalArgumentException("no register group " + name);
        }
    }

    private void add(String n, RegisterKind kind, String type) {
        registers.add(new MultitraceRegister(frame, this, n, kind, type));
    }

    /** The names of the groups this machine has, in the order the Registers view shows them. */
    public static List<String> names() {
        List<String> names = new ArrayList<>(List.of(GENERAL, FLAGS, SEGMENT, FP));
        if (XState.Component.AVX.present() && XState.hasAvx512()) {
            names.add(AVX512);
        }
        if (XState.Component.PKRU.present()) {
            names.add(PKEYS);
        }
        return List.copyOf(names);
    }

    /** The groups of {@link #names()}. */
    static List<MultitraceRegisterGroup> all(MultitraceStackFrame frame) {
        return names().stream().map(n -> new MultitraceRegisterGroup(frame, n)).toList();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public MultitraceRegister[] getRegisters() {
        return registers.toArray(MultitraceRegister[]::new);
    }

    @Override
    public boolean hasRegisters() {
        return true;
    }
}
