package dev.multitrace.symbols.unwind;

import java.util.OptionalLong;

import dev.multitrace.symbols.MemoryReader;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.elf.ByteReader;

/**
 * Evaluates the DWARF expressions found in call frame information ({@code DW_CFA_def_cfa_expression},
 * {@code DW_CFA_expression}, {@code DW_CFA_val_expression}): the stack operations, arithmetic, comparisons
 * and branches, constants, {@code DW_OP_breg*}/{@code bregx} on the frame's registers and
 * {@code DW_OP_deref}/{@code deref_size} through target memory. This is the set gcc and glibc emit (glibc's
 * signal trampoline: {@code DW_OP_breg7 N; DW_OP_deref}; PLT entries: {@code breg7, breg16, lit15, and,
 * lit10/11, ge, lit3, shl, plus}). Register (location) operators and calls have no meaning in CFI and are
 * rejected. Bounded: at most {@link #MAX_STEPS} operations, so a backward branch cannot hang.
 */
public final class DwarfExpression {

    static final int MAX_STEPS = 10_000;
    private static final int MAX_STACK = 1024;

    /** Why an expression has no value: a register it reads is unknown or memory it reads is unreadable. */
    public static final class NoValue extends Exception {
        private static final long serialVersionUID = 1L;

        public NoValue(String message) {
            super(message, null, false, false);
        }
    }

    private DwarfExpression() {
    }

    /**
     * What a variable's location expression needs beyond registers and memory: the function's frame base
     * ({@code DW_OP_fbreg}), the frame's CFA ({@code DW_OP_call_frame_cfa}), the load bias added to link-time
     * addresses ({@code DW_OP_addr}), and the unit's address table ({@code DW_OP_addrx}, link-time).
     */
    public interface Context {
        long frameBase() throws NoValue;

        long cfa() throws NoValue;

        long bias();

        long addrx(long index);

        /** The value register {@code reg} had on entry to the function ({@code DW_OP_entry_value}). */
        default long entryValue(int reg) throws NoValue {
            throw new NoValue("entry value of " + Registers.name(reg));
        }

        /** The address of offset {@code offset} in the module's thread-local storage block, for this thread. */
        default long tlsAddress(long offset) throws NoValue {
            throw new NoValue("thread-local storage");
        }
    }

    /** The evaluation state of a location expression: the pieces so far and how the current one ends. */
    private static final class Pieces {
        final java.util.List<Location.Piece> done = new java.util.ArrayList<>();
        int register = -1; // DW_OP_regN named the current piece's register
        boolean stackValue;
        byte[] implicit;
        final Context ctx;

        Pieces(Context ctx) {
            this.ctx = ctx;
        }

        /** Ends the current piece (of {@code size} bytes, -1 for the whole): what the state and stack say. */
        int close(long[] stack, int sp, int size) {
            Location.Piece p;
            if (register >= 0) {
                p = new Location.Piece(Location.Kind.REGISTER, register, null, size);
            } else if (implicit != null) {
                p = new Location.Piece(Location.Kind.IMPLICIT, 0, implicit, size);
            } else if (sp == 0) {
                p = new Location.Piece(Location.Kind.OPTIMIZED_OUT, 0, null, size);
            } else if (stackValue) {
                p = new Location.Piece(Location.Kind.VALUE, stack[--sp], null, size);
            } else {
                p = new Location.Piece(Location.Kind.MEMORY, stack[--sp], null, size);
            }
            done.add(p);
            register = -1;
            stackValue = false;
            implicit = null;
            return sp;
        }
    }

    /**
     * Evaluates a variable's location expression ({@code DW_AT_location}, or the entry of its location list
     * for the pc) in a frame: memory addresses, registers ({@code DW_OP_reg*}), computed values, constant
     * bytes and pieces. An empty expression is an optimized-out variable. Operations needing what this
     * debugger cannot give (entry values, implicit pointers, TLS, typed stack) throw NoValue: the variable is
     * then shown as optimized out rather than wrong.
     */
    public static Location locate(ByteReader code, Registers regs, MemoryReader memory, Context ctx) throws NoValue {
        if (!code.hasRemaining()) {
            return Location.optimizedOut();
        }
        Pieces pieces = new Pieces(ctx);
        run(code, OptionalLong.empty(), regs, memory, pieces);
        return new Location(java.util.List.copyOf(pieces.done));
    }

    /**
     * Evaluates {@code code} (a reader over the expression's bytes) with {@code initial} pushed first when
     * present; returns the top of the stack. Malformed expressions give a SymbolException naming the
     * reader's file and section.
     */
    static long evaluate(ByteReader code, OptionalLong initial, Registers regs, MemoryReader memory) throws NoValue {
        return run(code, initial, regs, memory, null);
    }

    /** The interpreter: for CFI ({@code pieces} null) returns the top of the stack; for a location fills pieces. */
    private static long run(ByteReader code, OptionalLong initial, Registers regs, MemoryReader memory, Pieces pieces) throws NoValue {
        long[] stack = new long[MAX_STACK];
        int sp = 0;
        if (initial.isPresent()) {
            stack[sp++] = initial.getAsLong();
        }
        int steps = 0;
        while (code.hasRemaining()) {
            if (++steps > MAX_STEPS) {
                throw code.error("DWARF expression runs more than " + MAX_STEPS + " operations (a loop?)");
            }
            int op = code.u8();
            if (op >= 0x30 && op <= 0x4f) { // DW_OP_lit0..31
                sp = push(code, stack, sp, op - 0x30);
                continue;
            }
            if (op >= 0x70 && op <= 0x8f) { // DW_OP_breg0..31
                long off = code.sleb128();
                sp = push(code, stack, sp, register(code, regs, op - 0x70) + off);
                continue;
            }
            if (pieces != null && (op >= 0x50 && op <= 0x6f || op == 0x90)) { // DW_OP_reg*, regx: in a register
                pieces.register = op == 0x90 ? code.ulebInt("register") : op - 0x50;
                continue;
            }
            if (pieces != null) {
                int handled = location(code, op, stack, sp, regs, pieces);
                if (handled >= 0) {
                    sp = handled;
                    continue;
                }
            }
            switch (op) {
                case 0x03 -> sp = push(code, stack, sp, code.u64()); // addr
                case 0x06 -> { // deref
                    need(code, sp, 1);
                    stack[sp - 1] = deref(code, memory, stack[sp - 1], 8);
                }
                case 0x08 -> sp = push(code, stack, sp, code.u8());
                case 0x09 -> sp = push(code, stack, sp, code.s8());
                case 0x0a -> sp = push(code, stack, sp, code.u16());
                case 0x0b -> sp = push(code, stack, sp, (short) code.u16());
                case 0x0c -> sp = push(code, stack, sp, code.u32());
                case 0x0d -> sp = push(code, stack, sp, code.s32());
                case 0x0e, 0x0f -> sp = push(code, stack, sp, code.u64());
                case 0x10 -> sp = push(code, stack, sp, code.uleb128());
                case 0x11 -> sp = push(code, stack, sp, code.sleb128());
                case 0x12 -> { // dup
                    need(code, sp, 1);
                    sp = push(code, stack, sp, stack[sp - 1]);
                }
                case 0x13 -> { // drop
                    need(code, sp, 1);
                    sp--;
                }
                case 0x14 -> { // over
                    need(code, sp, 2);
                    sp = push(code, stack, sp, stack[sp - 2]);
                }
                case 0x15 -> { // pick
                    int i = code.u8();
                    need(code, sp, i + 1);
                    sp = push(code, stack, sp, stack[sp - 1 - i]);
                }
                case 0x16 -> { // swap
                    need(code, sp, 2);
                    long t = stack[sp - 1];
                    stack[sp - 1] = stack[sp - 2];
                    stack[sp - 2] = t;
                }
                case 0x17 -> { // rot: top three rotate, top moves to third
                    need(code, sp, 3);
                    long t = stack[sp - 1];
                    stack[sp - 1] = stack[sp - 2];
                    stack[sp - 2] = stack[sp - 3];
                    stack[sp - 3] = t;
                }
                case 0x19 -> {
                    need(code, sp, 1);
                    stack[sp - 1] = Math.abs(stack[sp - 1]);
                }
                case 0x1f -> {
                    need(code, sp, 1);
                    stack[sp - 1] = -stack[sp - 1];
                }
                case 0x20 -> {
                    need(code, sp, 1);
                    stack[sp - 1] = ~stack[sp - 1];
                }
                case 0x23 -> { // plus_uconst
                    need(code, sp, 1);
                    stack[sp - 1] += code.uleb128();
                }
                case 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x21, 0x22, 0x24, 0x25, 0x26, 0x27, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e -> {
                    need(code, sp, 2);
                    long b = stack[--sp];
                    long a = stack[sp - 1];
                    stack[sp - 1] = binary(code, op, a, b);
                }
                case 0x28 -> { // bra
                    int off = (short) code.u16();
                    need(code, sp, 1);
                    if (stack[--sp] != 0) {
                        code.seek(code.pos() + (long) off);
                    }
                }
                case 0x2f -> { // skip
                    int off = (short) code.u16();
                    code.seek(code.pos() + (long) off);
                }
                case 0x90 -> throw code.error("DW_OP_regx is a location, not a value, in call frame information");
                case 0x92 -> { // bregx
                    int reg = code.ulebInt("register");
                    long off = code.sleb128();
                    sp = push(code, stack, sp, register(code, regs, reg) + off);
                }
                case 0x94 -> { // deref_size
                    int size = code.u8();
                    if (size < 1 || size > 8) {
                        throw code.error("DW_OP_deref_size of " + size + " bytes");
                    }
                    need(code, sp, 1);
                    stack[sp - 1] = deref(code, memory, stack[sp - 1], size);
                }
                case 0x96 -> {
                    // nop
                }
                default -> {
                    if (op >= 0x50 && op <= 0x6f) {
                        throw code.error("DW_OP_reg" + (op - 0x50) + " is a location, not a value, in call frame information");
                    }
                    throw code.error("unsupported DWARF expression operation 0x" + Integer.toHexString(op) + " at offset 0x"
                            + Integer.toHexString(code.pos() - 1));
                }
            }
        }
        if (pieces != null) {
            if (pieces.done.isEmpty() || pieces.register >= 0 || pieces.stackValue || pieces.implicit != null || sp > 0) {
                pieces.close(stack, sp, -1);
            }
            return 0;
        }
        if (sp == 0) {
            throw code.error("DWARF expression leaves an empty stack");
        }
        return stack[sp - 1];
    }

    /**
     * The operations only location expressions have; returns the new stack depth, or -1 for an operation
     * the common interpreter handles.
     */
    private static int location(ByteReader code, int op, long[] stack, int sp, Registers regs, Pieces pieces) throws NoValue {
        switch (op) {
            case 0x03: // addr: link-time, moved by the module's load bias
                return push(code, stack, sp, code.u64() + pieces.ctx.bias());
            case 0xa1: case 0xfb: // addrx, GNU_addr_index
                return push(code, stack, sp, pieces.ctx.addrx(code.uleb128()) + pieces.ctx.bias());
            case 0xa2: case 0xfc: // constx, GNU_const_index
                return push(code, stack, sp, pieces.ctx.addrx(code.uleb128()));
            case 0x91: { // fbreg
                long off = code.sleb128();
                return push(code, stack, sp, pieces.ctx.frameBase() + off);
            }
            case 0x9c: // call_frame_cfa
                return push(code, stack, sp, pieces.ctx.cfa());
            case 0x9f: // stack_value
                pieces.stackValue = true;
                return sp;
            case 0x9e: // implicit_value
                pieces.implicit = code.bytes(code.uleb128());
                return sp;
            case 0x93: // piece
                return pieces.close(stack, sp, code.ulebInt("piece size"));
            case 0x9d: { // bit_piece: whole bytes only
                int bits = code.ulebInt("bit piece size");
                long offset = code.uleb128();
                if (bits % 8 != 0 || offset != 0) {
                    throw new NoValue("a piece of " + bits + " bits at bit " + offset + " (not whole bytes)");
                }
                return pieces.close(stack, sp, bits / 8);
            }
            case 0xa3: case 0xf3: { // entry_value: a register's value on entry, known from the caller's call site
                byte[] block = code.bytes(code.uleb128());
                // DW_OP_regN, DW_OP_regx N, or DW_OP_regval_type N T (a floating-point register, say)
                int reg = block.length == 1 && (block[0] & 0xff) >= 0x50 && (block[0] & 0xff) <= 0x6f ? (block[0] & 0xff) - 0x50
                        : block.length >= 2 && ((block[0] & 0xff) == 0x90 || (block[0] & 0xff) == 0xa5 || (block[0] & 0xff) == 0xf5) && (block[1] & 0x80) == 0 ? block[1] : -1;
                if (reg < 0) {
                    throw new NoValue("entry value of an expression other than a register");
                }
                return push(code, stack, sp, pieces.ctx.entryValue(reg));
            }
            case 0xa0: case 0xf2: // implicit_pointer
                throw new NoValue("implicit pointer");
            case 0x9b: case 0xe0: { // form_tls_address, GNU_push_tls_address: an offset into the TLS block
                need(code, sp, 1);
                stack[sp - 1] = pieces.ctx.tlsAddress(stack[sp - 1]);
                return sp;
            }
            case 0xa4: case 0xf4: { // const_type (GNU_const_type): a typed constant (a double's bits at a call site); the type is not kept
                code.uleb128();
                int n = code.u8();
                if (n > 8) {
                    throw new NoValue("typed constant of " + n + " bytes");
                }
                long v = 0;
                byte[] b = code.bytes(n);
                for (int i = n - 1; i >= 0; i--) {
                    v = v << 8 | (b[i] & 0xff);
                }
                return push(code, stack, sp, v);
            }
            case 0xa5: case 0xf5: { // regval_type (GNU_regval_type): a register's value as a typed value
                int reg = code.ulebInt("register");
                code.uleb128();
                return push(code, stack, sp, register(code, regs, reg));
            }
            case 0xa6: case 0xa7: case 0xa8: case 0xa9: case 0xf6: case 0xf7: case 0xf9:
                throw new NoValue("typed DWARF stack operation 0x" + Integer.toHexString(op));
            default:
                return -1;
        }
    }

    private static long binary(ByteReader code, int op, long a, long b) {
        return switch (op) {
            case 0x1a -> a & b;
            case 0x1b -> {
                if (b == 0) {
                    throw code.error("DWARF expression divides by zero");
                }
                yield a / b;
            }
            case 0x1c -> a - b;
            case 0x1d -> {
                if (b == 0) {
                    throw code.error("DWARF expression divides by zero (mod)");
                }
                yield Long.remainderUnsigned(a, b);
            }
            case 0x1e -> a * b;
            case 0x21 -> a | b;
            case 0x22 -> a + b;
            case 0x24 -> b >= 64 || b < 0 ? 0 : a << b;
            case 0x25 -> b >= 64 || b < 0 ? 0 : a >>> b;
            case 0x26 -> b >= 64 || b < 0 ? a >> 63 : a >> b;
            case 0x27 -> a ^ b;
            case 0x29 -> a == b ? 1 : 0;
            case 0x2a -> a >= b ? 1 : 0;
            case 0x2b -> a > b ? 1 : 0;
            case 0x2c -> a <= b ? 1 : 0;
            case 0x2d -> a < b ? 1 : 0;
            case 0x2e -> a != b ? 1 : 0;
            default -> throw new IllegalStateException("not a binary op: " + op);
        };
    }

    private static int push(ByteReader code, long[] stack, int sp, long v) {
        if (sp >= stack.length) {
            throw code.error("DWARF expression stack overflow (" + stack.length + " entries)");
        }
        stack[sp] = v;
        return sp + 1;
    }

    private static void need(ByteReader code, int sp, int n) {
        if (sp < n) {
            throw code.error("DWARF expression stack underflow at offset 0x" + Integer.toHexString(code.pos() - 1));
        }
    }

    private static long register(ByteReader code, Registers regs, int reg) throws NoValue {
        if (reg < 0 || reg >= Registers.XMM0 + Registers.XMM_COUNT) {
            throw new NoValue("expression reads DWARF register " + reg + " (not a general or xmm register)");
        }
        OptionalLong v = regs.get(reg);
        if (v.isEmpty()) {
            throw new NoValue("expression reads " + Registers.name(reg) + ", which is unknown in this frame");
        }
        return v.getAsLong();
    }

    private static long deref(ByteReader code, MemoryReader memory, long address, int size) throws NoValue {
        byte[] b = new byte[size];
        if (memory.read(address, b, 0, size) != size) {
            throw new NoValue("expression reads unreadable memory at 0x" + Long.toHexString(address));
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }
}
