package dev.multitrace.symbols.values;

import java.nio.ByteOrder;
import java.util.OptionalLong;

import dev.multitrace.symbols.dwarf.Die;
import dev.multitrace.symbols.dwarf.DieReader;
import dev.multitrace.symbols.elf.ByteReader;
import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeReader;
import dev.multitrace.symbols.unwind.DwarfExpression;
import dev.multitrace.symbols.unwind.Location;
import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;

/**
 * Reads the value of a variable DIE in one frame: picks the location expression holding at the pc (from
 * its location list if it has one), evaluates it with the existing DWARF interpreter
 * ({@link DwarfExpression#locate}) on the frame's registers (recovered by the unwinder for outer frames),
 * its CFA and its function's frame base, then reads the bytes from memory, registers, or the expression's
 * own value. A variable with {@code DW_AT_const_value} has no location: the constant is its value.
 */
final class Locator {

    /** Values larger than this are not read at once (a huge array is printed from its first elements). */
    static final int MAX_VALUE_BYTES = 1 << 20;

    private final DieReader dies;
    private final TypeReader types;
    private final MemoryReader memory;
    private final Registers regs;
    private final long cfa;
    private final long bias;
    /** The frame's function DIE (for DW_AT_frame_base), or null outside a function (globals). */
    private final Die function;
    /** The link-time pc location lists are looked up at. */
    private final long linkPc;
    /** Registers' values on entry to the function, from the caller's call site (null: none known). */
    private final EntryValues entryValues;

    /** {@code DW_OP_entry_value(DW_OP_regN)} resolved through the caller ({@link CallSites}). */
    interface EntryValues {
        long of(int reg) throws DwarfExpression.NoValue;
    }

    /** Where an offset into this module's thread-local storage block is, for the stopped thread. */
    interface ThreadLocals {
        long address(long offset) throws DwarfExpression.NoValue;
    }

    private final ThreadLocals threadLocals;

    Locator(DieReader dies, TypeReader types, MemoryReader memory, Registers regs, long cfa, long bias, Die function, long linkPc,
            EntryValues entryValues, ThreadLocals threadLocals) {
        this.entryValues = entryValues;
        this.threadLocals = threadLocals;
        this.dies = dies;
        this.types = types;
        this.memory = memory;
        this.regs = regs;
        this.cfa = cfa;
        this.bias = bias;
        this.function = function;
        this.linkPc = linkPc;
    }

    /** The variable's value, {@code <optimized out>} where it has none at this pc. */
    Value value(Die variable, CType type) {
        byte[] expr = dies.expressionAt(variable, Die.AT_LOCATION, linkPc);
        if (expr == null) {
            return constant(variable, type);
        }
        try {
            Location loc = DwarfExpression.locate(reader(expr), regs, memory, context(variable));
            return read(loc, type);
        } catch (DwarfExpression.NoValue e) {
            return Value.optimizedOut(type);
        }
    }

    private Value constant(Die variable, CType type) {
        if (!variable.has(Die.AT_CONST_VALUE)) {
            return Value.optimizedOut(type);
        }
        byte[] block = variable.block(Die.AT_CONST_VALUE);
        if (block != null) {
            return Value.of(type, block);
        }
        OptionalLong v = variable.signed(Die.AT_CONST_VALUE);
        return Value.ofLong(type, v.orElse(0));
    }

    private static ByteReader reader(byte[] expr) {
        return ByteReader.of(expr, ByteOrder.LITTLE_ENDIAN, "DWARF", "location expression");
    }

    private DwarfExpression.Context context(Die variable) {
        return new DwarfExpression.Context() {
            @Override
            public long frameBase() throws DwarfExpression.NoValue {
                if (function == null) {
                    throw new DwarfExpression.NoValue("no function, no frame base");
                }
                byte[] fb = dies.expressionAt(function, Die.AT_FRAME_BASE, linkPc);
                if (fb == null) {
                    throw new DwarfExpression.NoValue("no frame base at this pc");
                }
                Location l = DwarfExpression.locate(reader(fb), regs, memory, context(function));
                Location.Piece p = l.pieces().get(0);
                return switch (p.kind()) {
                    case MEMORY, VALUE -> p.value();
                    case REGISTER -> register((int) p.value());
                    default -> throw new DwarfExpression.NoValue("frame base " + p.kind());
                };
            }

            @Override
            public long cfa() throws DwarfExpression.NoValue {
                if (cfa == 0) {
                    throw new DwarfExpression.NoValue("no CFA for this frame");
                }
                return cfa;
            }

            @Override
            public long bias() {
                return bias;
            }

            @Override
            public long addrx(long index) {
                return dies.addrx(variable, index);
            }

            @Override
            public long entryValue(int reg) throws DwarfExpression.NoValue {
                if (entryValues == null) {
                    throw new DwarfExpression.NoValue("no caller frame for an entry value");
                }
                return entryValues.of(reg);
            }

            @Override
            public long tlsAddress(long offset) throws DwarfExpression.NoValue {
                if (threadLocals == null) {
                    throw new DwarfExpression.NoValue("no thread for thread-local storage");
                }
                return threadLocals.address(offset);
            }
        };
    }

    /** The value a DWARF expression computes in this frame (a VLA bound); empty if it cannot here. */
    java.util.OptionalLong evaluate(byte[] expr, Die unit) {
        try {
            Location.Piece p = locate(reader(expr), unit).pieces().get(0);
            return p.kind() == Location.Kind.MEMORY || p.kind() == Location.Kind.VALUE ? java.util.OptionalLong.of(p.value())
                    : java.util.OptionalLong.empty();
        } catch (DwarfExpression.NoValue e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** Evaluates an expression of {@code unit}'s DIEs in this frame (a call site's value, in the caller). */
    Location locate(ByteReader expr, Die unit) throws DwarfExpression.NoValue {
        return DwarfExpression.locate(expr, regs, memory, context(unit));
    }

    private long register(int reg) throws DwarfExpression.NoValue {
        OptionalLong v = regs.get(reg);
        if (v.isEmpty()) {
            throw new DwarfExpression.NoValue(Registers.name(reg) + " is not known in this frame");
        }
        return v.getAsLong();
    }

    /** The bytes of a located value: whole in memory, or assembled from its pieces. */
    Value read(Location loc, CType type) {
        long size = Math.min(type.size(), MAX_VALUE_BYTES);
        if (loc.pieces().size() == 1 && loc.pieces().get(0).kind() == Location.Kind.MEMORY) {
            return readMemory(type, loc.pieces().get(0).value(), size);
        }
        byte[] out = new byte[(int) size];
        int at = 0;
        for (Location.Piece p : loc.pieces()) {
            int n = p.size() < 0 ? (int) size - at : Math.min(p.size(), (int) size - at);
            if (n <= 0) {
                break;
            }
            byte[] part = switch (p.kind()) {
                case MEMORY -> memory.readFully(p.value(), n);
                case REGISTER -> registerBytes((int) p.value());
                case VALUE -> le(p.value());
                case IMPLICIT -> p.bytes();
                case OPTIMIZED_OUT -> null;
            };
            if (part == null) {
                return Value.optimizedOut(type);
            }
            System.arraycopy(part, 0, out, at, Math.min(n, part.length));
            at += n;
        }
        return Value.of(type, out);
    }

    /** {@code size} bytes of {@code type} at {@code address}; gdb's error when they cannot be read. */
    Value readMemory(CType type, long address, long size) {
        byte[] b = new byte[(int) size];
        int n = size == 0 ? 0 : memory.read(address, b, 0, (int) size);
        if (n != size) {
            return Value.error(type, address, "Cannot access memory at address 0x" + Long.toHexString(address));
        }
        return Value.at(type, b, address);
    }

    /** A register's bytes: 8 of a general register, 16 of an xmm register; null if unknown here. */
    private byte[] registerBytes(int reg) {
        byte[] v = regs.vector(reg);
        if (v != null) {
            return v;
        }
        return regs.get(reg).isPresent() ? le(regs.get(reg).getAsLong()) : null;
    }

    private static byte[] le(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    TypeReader types() {
        return types;
    }
}
