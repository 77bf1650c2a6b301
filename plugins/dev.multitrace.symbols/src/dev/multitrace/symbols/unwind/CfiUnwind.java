package dev.multitrace.symbols.unwind;

import java.util.Optional;
import java.util.OptionalLong;

import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.LoadedModule;

/** One unwind step with a module's call frame information: evaluates an {@link UnwindRow} on a frame's registers. */
final class CfiUnwind {

    /** Callee-saved in the x86-64 psABI: without a rule, the caller's value is the callee's. */
    private static final int CALLEE_SAVED = 1 << Registers.RBX | 1 << Registers.RBP | 1 << 12 | 1 << 13 | 1 << 14 | 1 << 15;

    private CfiUnwind() {
    }

    /**
     * The step for the frame whose lookup address is {@code lookup} (run-time), or null if no CFI of the module
     * covers it. A step with a null caller is the outermost frame (return address undefined) or a frame whose
     * CFA or return address cannot be computed (an unknown register, unreadable memory).
     */
    static Unwinder.Step step(LoadedModule module, Registers regs, long lookup, MemoryReader memory) {
        Optional<UnwindRow> found = CallFrameInfo.of(module.elf()).rowAt(lookup - module.bias());
        if (found.isEmpty()) {
            return null;
        }
        UnwindRow row = found.get();
        try {
            long cfa;
            if (row.cfaExpression() != null) {
                cfa = DwarfExpression.evaluate(row.cfaExpression().slice(0, row.cfaExpression().size()), OptionalLong.empty(), regs, memory);
            } else {
                OptionalLong base = regs.get(row.cfaRegister());
                if (base.isEmpty()) {
                    return new Unwinder.Step(0, null, UnwindMethod.CFI, row.signalFrame());
                }
                cfa = base.getAsLong() + row.cfaOffset();
            }
            UnwindRow.Rule ra = row.rule(row.returnAddress());
            if (ra == null || ra.kind() == UnwindRow.Kind.UNDEFINED) {
                return new Unwinder.Step(cfa, null, UnwindMethod.CFI, row.signalFrame()); // outermost: _start, clone's child
            }
            Registers caller = Registers.empty().with(Registers.RSP, cfa);
            for (int r = 0; r < Registers.COUNT; r++) {
                UnwindRow.Rule rule = row.rule(r);
                OptionalLong v;
                if (rule == null) {
                    v = r == Registers.RSP ? OptionalLong.of(cfa) : (CALLEE_SAVED & 1 << r) != 0 ? regs.get(r) : OptionalLong.empty();
                } else {
                    v = value(rule, r, cfa, regs, memory);
                }
                caller = v.isPresent() ? caller.with(r, v.getAsLong()) : caller.without(r);
            }
            if (row.returnAddress() != Registers.RIP) {
                OptionalLong ret = value(ra, row.returnAddress(), cfa, regs, memory);
                caller = ret.isPresent() ? caller.with(Registers.RIP, ret.getAsLong()) : caller.without(Registers.RIP);
            }
            if (!caller.isKnown(Registers.RIP)) {
                return new Unwinder.Step(cfa, null, UnwindMethod.CFI, row.signalFrame());
            }
            return new Unwinder.Step(cfa, caller, UnwindMethod.CFI, row.signalFrame());
        } catch (DwarfExpression.NoValue e) {
            return new Unwinder.Step(0, null, UnwindMethod.CFI, row.signalFrame());
        }
    }

    private static OptionalLong value(UnwindRow.Rule rule, int reg, long cfa, Registers regs, MemoryReader memory) throws DwarfExpression.NoValue {
        return switch (rule.kind()) {
            case UNDEFINED -> OptionalLong.empty();
            case SAME_VALUE -> regs.get(reg);
            case OFFSET -> memory.readLong(cfa + rule.offset());
            case VAL_OFFSET -> OptionalLong.of(cfa + rule.offset());
            case REGISTER -> regs.get(rule.register());
            case EXPRESSION -> memory.readLong(
                    DwarfExpression.evaluate(rule.expression().slice(0, rule.expression().size()), OptionalLong.of(cfa), regs, memory));
            case VAL_EXPRESSION -> OptionalLong.of(
                    DwarfExpression.evaluate(rule.expression().slice(0, rule.expression().size()), OptionalLong.of(cfa), regs, memory));
        };
    }
}
