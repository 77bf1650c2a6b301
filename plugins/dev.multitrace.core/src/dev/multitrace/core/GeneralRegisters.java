package dev.multitrace.core;

import dev.multitrace.linux.x86_64.Regs;

import java.util.List;

/**
 * The general registers of a stopped task by name: the service's one register type
 * ({@link Examination#registers()}), so that no client (the Eclipse debug model, the session, the
 * GDB stub) sees the Linux bundle's types. Values are in the kernel's {@code user_regs_struct}
 * order, which is also the order of {@link #names()}: a client that speaks that layout itself (the
 * GDB stub) takes {@link #values()} word by word and writes them back with {@link #withValues}.
 *
 * @param names  register names ({@code "rip"}, {@code "rsp"}, {@code "eflags"}, {@code "fs_base"}...)
 * @param values their values, index for index
 */
public record GeneralRegisters(List<String> names, long[] values) {

    public GeneralRegisters {
        names = List.copyOf(names);
        values = values.clone();
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " names for " + values.length + " values");
        }
    }

    /** The program counter's name. */
    public static final String PC = "rip";

    /** The kernel's {@code user_regs_struct}, word by word, with its names. Core only: the Linux layout stays here. */
    static GeneralRegisters ofUserRegs(long[] words) {
        return new GeneralRegisters(new Regs(words).names(), words);
    }

    /** Reads them through an examination (valid while the task stays stopped). */
    public static GeneralRegisters read(Examination x) {
        return x.registers();
    }

    /**
     * The same registers with {@code name} set to {@code value}.
     *
     * @throws IllegalArgumentException if there is no register of that name
     */
    public GeneralRegisters with(String name, long value) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no register named " + name + " (registers: " + names + ")");
        }
        long[] v = values.clone();
        v[i] = value;
        return new GeneralRegisters(names, v);
    }

    /** The same names with other values, index for index (a client's whole register block). */
    public GeneralRegisters withValues(long[] newValues) {
        return new GeneralRegisters(names, newValues);
    }

    /**
     * Writes one register of the stopped task.
     *
     * @throws IllegalArgumentException if there is no register of that name
     */
    public static void write(Examination x, String name, long value) {
        x.setRegisters(x.registers().with(name, value));
    }

    /** The value of register {@code name}; {@link IllegalArgumentException} if there is none. */
    public long get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no register named " + name + " (registers: " + names + ")");
        }
        return values[i];
    }

    public boolean has(String name) {
        return names.contains(name);
    }

    public long pc() {
        return get(PC);
    }

    public long sp() {
        return get("rsp");
    }

    /** A copy of the values, in kernel order (what an unwinder takes as user registers). */
    @Override
    public long[] values() {
        return values.clone();
    }
}
