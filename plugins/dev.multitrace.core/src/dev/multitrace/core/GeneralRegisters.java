package dev.multitrace.core;

import dev.multitrace.linux.Registers;

import java.util.List;

/**
 * The general registers of a stopped task by name, for layers that must not see the Linux
 * bundle's types (the Eclipse debug model). Values are in the kernel's {@code user_regs_struct}
 * order, which is also the order of {@link #names()}.
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

    /** Reads them through an examination (valid while the task stays stopped). */
    public static GeneralRegisters read(Examination x) {
        Registers r = x.registers();
        List<String> n = r.names();
        long[] v = new long[n.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.get(n.get(i));
        }
        return new GeneralRegisters(n, v);
    }

    /**
     * Writes one register of the stopped task.
     *
     * @throws IllegalArgumentException if there is no register of that name
     */
    public static void write(Examination x, String name, long value) {
        Registers r = x.registers();
        r.set(name, value);
        x.setRegisters(r);
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
        return get("rip");
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
