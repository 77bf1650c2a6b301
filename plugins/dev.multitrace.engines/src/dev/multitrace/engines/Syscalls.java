package dev.multitrace.engines;

import java.util.HashMap;
import java.util.Map;

/** x86-64 syscall names and numbers (the generated {@link SyscallTable}). */
public final class Syscalls {

    private static final Map<String, Integer> NUMBERS = new HashMap<>();

    static {
        for (int i = 0; i < SyscallTable.NAMES.length; i++) {
            if (SyscallTable.NAMES[i] != null) {
                NUMBERS.put(SyscallTable.NAMES[i], i);
            }
        }
    }

    private Syscalls() {
    }

    /** The name of a syscall number; strace's {@code syscall_0x1d3} for numbers without one. */
    public static String name(long nr) {
        if (nr >= 0 && nr < SyscallTable.NAMES.length && SyscallTable.NAMES[(int) nr] != null) {
            return SyscallTable.NAMES[(int) nr];
        }
        return "syscall_0x" + Long.toHexString(nr);
    }

    /** The number of a syscall name, or -1. */
    public static int number(String name) {
        return NUMBERS.getOrDefault(name, -1);
    }

    /** The highest syscall number with a name. */
    public static int max() {
        return SyscallTable.NAMES.length - 1;
    }
}
