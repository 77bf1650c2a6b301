package dev.multitrace.symbols.values;

import java.nio.ByteOrder;
import java.util.List;

import dev.multitrace.symbols.dwarf.Die;
import dev.multitrace.symbols.dwarf.DieReader;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.unwind.DwarfExpression;
import dev.multitrace.symbols.unwind.Location;

/**
 * Resolves {@code DW_OP_entry_value(DW_OP_regN)}, the value a register had when the function was entered,
 * as gdb does: in the caller's DIE tree, the call site whose return address is this frame's return
 * address ({@code DW_TAG_call_site}/{@code DW_AT_call_return_pc}, or GNU's {@code DW_TAG_GNU_call_site} with
 * {@code DW_AT_low_pc}) lists, per register parameter, an expression computing the value in the caller's
 * frame ({@code DW_AT_call_value}). At -O2, gcc describes most parameters after their register is reused
 * this way; without it they would be {@code <optimized out>} where gdb shows them.
 */
final class CallSites {

    private static final int TAG_CALL_SITE = 0x48;
    private static final int TAG_CALL_SITE_PARAMETER = 0x49;
    private static final int TAG_GNU_CALL_SITE = 0x4109;
    private static final int TAG_GNU_CALL_SITE_PARAMETER = 0x410a;
    private static final int AT_CALL_RETURN_PC = 0x7d;
    private static final int AT_CALL_VALUE = 0x7e;
    private static final int AT_CALL_ORIGIN = 0x7f;
    private static final int AT_GNU_CALL_SITE_VALUE = 0x2111;
    /** Call sites nested deeper in blocks than this are not searched (real code nests a few levels). */
    private static final int MAX_DEPTH = 64;

    private CallSites() {
    }

    /**
     * The value register {@code reg} had on entry to the callee (named {@code callee}), from the call site in
     * {@code caller}'s function returning to {@code caller}'s pc.
     */
    static long entryValue(FrameScope caller, String callee, int reg) throws DwarfExpression.NoValue {
        Die function = caller.functionDie();
        if (function == null) {
            throw new DwarfExpression.NoValue("no caller function for an entry value");
        }
        DieReader dies = caller.dies();
        long returnPc = caller.frame().pc() - caller.bias();
        Die site = find(dies, function, returnPc, 0);
        if (site == null) {
            throw new DwarfExpression.NoValue("no call site returning to 0x" + Long.toHexString(returnPc));
        }
        // as gdb: only a call known to go to this function (its DW_AT_call_origin) says what it was passed;
        // an indirect call (libc calling main through a pointer) does not
        long origin = site.has(AT_CALL_ORIGIN) ? site.ref(AT_CALL_ORIGIN) : site.ref(Die.AT_ABSTRACT_ORIGIN);
        if (origin < 0 || callee == null || !callee.equals(dies.die(origin).name().orElse(null))) {
            throw new DwarfExpression.NoValue("the call site does not name " + callee + " as its target");
        }
        for (Die p : dies.children(site)) {
            if (p.tag() != TAG_CALL_SITE_PARAMETER && p.tag() != TAG_GNU_CALL_SITE_PARAMETER) {
                continue;
            }
            byte[] loc = p.block(Die.AT_LOCATION);
            if (loc == null || loc.length == 0 || !isRegister(loc, reg)) {
                continue;
            }
            byte[] value = p.block(AT_CALL_VALUE);
            if (value == null) {
                value = p.block(AT_GNU_CALL_SITE_VALUE);
            }
            if (value == null) {
                break;
            }
            Location l = caller.locator().locate(ByteReader.of(value, ByteOrder.LITTLE_ENDIAN, "DWARF", "call site value"), function);
            Location.Piece piece = l.pieces().get(0);
            return switch (piece.kind()) {
                case MEMORY, VALUE -> piece.value();
                case REGISTER -> caller.registers().get((int) piece.value())
                        .orElseThrow(() -> new DwarfExpression.NoValue("caller register unknown"));
                default -> throw new DwarfExpression.NoValue("call site value " + piece.kind());
            };
        }
        throw new DwarfExpression.NoValue("the call site does not give register " + reg);
    }

    /** Whether a call site parameter's location is exactly register {@code reg}. */
    private static boolean isRegister(byte[] loc, int reg) {
        int op = loc[0] & 0xff;
        if (op >= 0x50 && op <= 0x6f) {
            return loc.length == 1 && op - 0x50 == reg;
        }
        return op == 0x90 && loc.length >= 2 && (loc[1] & 0x7f) == reg && (loc[1] & 0x80) == 0;
    }

    private static Die find(DieReader dies, Die scope, long returnPc, int depth) {
        if (depth > MAX_DEPTH) {
            return null;
        }
        List<Die> children = dies.children(scope);
        for (Die d : children) {
            if (d.tag() == TAG_CALL_SITE && d.number(AT_CALL_RETURN_PC).orElse(-1) == returnPc
                    || d.tag() == TAG_GNU_CALL_SITE && d.number(Die.AT_LOW_PC).orElse(-1) == returnPc) {
                return d;
            }
        }
        for (Die d : children) {
            if (d.hasChildren() && (d.tag() == Die.TAG_LEXICAL_BLOCK || d.tag() == Die.TAG_INLINED_SUBROUTINE)) {
                Die found = find(dies, d, returnPc, depth + 1);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
