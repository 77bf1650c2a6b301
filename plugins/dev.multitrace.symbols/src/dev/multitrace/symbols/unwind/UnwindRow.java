package dev.multitrace.symbols.unwind;

import java.util.Arrays;

import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.elf.ByteReader;

/**
 * The CFI rules in force at one pc: how to compute the CFA and where each register of the caller is. The
 * result of running a CIE's initial instructions and an FDE's instructions up to that pc. Expressions
 * are kept as readers over their bytes in the section.
 *
 * @param cfaRegister    the CFA is this register plus {@code cfaOffset}, unless {@code cfaExpression} is set
 * @param cfaExpression  a {@code DW_CFA_def_cfa_expression} (the CFA is its value), or null
 * @param rules          per DWARF register 0..16, its rule (null: no rule given)
 * @param returnAddress  the return address column of the CIE (16 on x86-64)
 * @param signalFrame    the CIE has the {@code S} augmentation: this is a signal trampoline
 * @param fdeStart       the link-time start of the FDE's range
 */
public record UnwindRow(int cfaRegister, long cfaOffset, ByteReader cfaExpression, Rule[] rules, int returnAddress, boolean signalFrame, long fdeStart) {

    /** The kinds of register rules of DWARF 5 section 6.4.1. */
    public enum Kind {
        /** The register's value cannot be recovered (for the return address column: the outermost frame). */
        UNDEFINED,
        /** The caller's value is the callee's. */
        SAME_VALUE,
        /** Saved at CFA + offset. */
        OFFSET,
        /** The value is CFA + offset. */
        VAL_OFFSET,
        /** The value is in another register. */
        REGISTER,
        /** Saved at the address the expression computes (the CFA pushed first). */
        EXPRESSION,
        /** The value is what the expression computes (the CFA pushed first). */
        VAL_EXPRESSION
    }

    /** One register's rule; {@code offset} for OFFSET/VAL_OFFSET, {@code register} for REGISTER, {@code expression} for the expression kinds. */
    public record Rule(Kind kind, long offset, int register, ByteReader expression) {

        static final Rule UNDEFINED = new Rule(Kind.UNDEFINED, 0, 0, null);
        static final Rule SAME_VALUE = new Rule(Kind.SAME_VALUE, 0, 0, null);

        @Override
        public String toString() {
            return switch (kind) {
                case OFFSET -> "c" + (offset >= 0 ? "+" : "") + offset;
                case VAL_OFFSET -> "v:c" + (offset >= 0 ? "+" : "") + offset;
                case REGISTER -> Registers.name(register);
                case EXPRESSION -> "exp";
                case VAL_EXPRESSION -> "vexp";
                case UNDEFINED -> "u";
                case SAME_VALUE -> "s";
            };
        }
    }

    public Rule rule(int reg) {
        return reg >= 0 && reg < rules.length ? rules[reg] : null;
    }

    /** Like {@code readelf --debug-dump=frames-interp}: {@code cfa=rsp+8 rip=c-8}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("cfa=");
        b.append(cfaExpression != null ? "exp" : Registers.name(cfaRegister) + (cfaOffset >= 0 ? "+" : "") + cfaOffset);
        for (int r = 0; r < rules.length; r++) {
            if (rules[r] != null) {
                b.append(' ').append(Registers.name(r)).append('=').append(rules[r]);
            }
        }
        return b.append(signalFrame ? " signal-frame" : "").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnwindRow r && r.cfaRegister == cfaRegister && r.cfaOffset == cfaOffset && r.returnAddress == returnAddress
                && r.signalFrame == signalFrame && Arrays.equals(r.rules, rules) && r.fdeStart == fdeStart;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fdeStart) * 31 + Arrays.hashCode(rules);
    }
}
