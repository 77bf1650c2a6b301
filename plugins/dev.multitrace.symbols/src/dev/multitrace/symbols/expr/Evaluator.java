package dev.multitrace.symbols.expr;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.Registers;
import dev.multitrace.symbols.values.DataSymbols;
import dev.multitrace.symbols.values.FrameScope;
import dev.multitrace.symbols.values.MemoryWriter;
import dev.multitrace.symbols.values.Value;
import dev.multitrace.symbols.values.ValueFormat;

/**
 * Evaluates C expressions in the scope of one frame, as gdb's {@code print} does: identifiers innermost
 * scope first (then enumerators), {@code . -> [] * &}, unary and binary C operators with C's conversions,
 * pointer arithmetic, casts, {@code sizeof}, literals, gdb's {@code array@count}, and registers
 * ({@code $rax}, {@code $pc}, {@code $sp}). Memory is read when a value is needed, through the frame's
 * memory reader. Errors are {@link ExpressionException}s naming the problem (in gdb's words) and the column.
 * Assignment writes through a {@link MemoryWriter} when one is given.
 */
public final class Evaluator {

    /** gdb's register aliases. */
    private static final Map<String, String> ALIASES = Map.of("pc", "rip", "sp", "rsp", "fp", "rbp");

    private final FrameScope scope;
    /** Where assignments write (null: none allowed, e.g. on a core file). */
    private final MemoryWriter writer;
    /**
     * For {@link #typeOf}: as gdb's whatis, only types matter, so values that are optimized out or unreadable
     * stand in as zeros instead of stopping the evaluation.
     */
    private final boolean typesOnly;

    public Evaluator(FrameScope scope) {
        this(scope, null, false);
    }

    /** An evaluator whose assignments ({@code x = 5}, {@code p->next->count = 0}) write through {@code writer}. */
    public Evaluator(FrameScope scope, MemoryWriter writer) {
        this(scope, writer, false);
    }

    private Evaluator(FrameScope scope, MemoryWriter writer, boolean typesOnly) {
        this.scope = scope;
        this.writer = writer;
        this.typesOnly = typesOnly;
    }

    /**
     * Checks that {@code expression} is C as this evaluator reads it, without a frame (a probe's expression is
     * checked before its program runs). {@code programTypes} names the program's types (typedefs, struct
     * tags), so that a parenthesized type reads as a cast.
     *
     * @throws ExpressionException with gdb's message and the column of the fault
     */
    public static void checkSyntax(String expression, java.util.function.Function<String, Optional<CType>> programTypes) {
        new Parser(expression, name -> isKeywordSpelling(name) ? Builtins.find(name) : programTypes.apply(name)).parse();
    }

    /** The type of {@code expression} (gdb's {@code whatis}), without needing its value to exist. */
    public CType typeOf(String expression) {
        return new Evaluator(scope, null, true).evaluate(expression).type();
    }

    /** The value of {@code expression}. */
    public Value evaluate(String expression) {
        Node n = new Parser(expression, this::type).parse();
        return eval(n);
    }

    /** What gdb's {@code print} (or {@code print/x}) shows after {@code $N = }. */
    public String print(String expression, boolean hex) {
        return print(expression, hex ? 'x' : 0);
    }

    /** As {@code print/F}: {@code format} is one of gdb's letters (x o t d u c a z), 0 for none. */
    public String print(String expression, char format) {
        Value v = evaluate(expression);
        if (v.error() != null) {
            throw new ExpressionException(v.error(), 1);
        }
        try {
            return new ValueFormat(scope.memory(), new DataSymbols(scope.symbols())::describe, format).top(v);
        } catch (UnsupportedOperationException e) {
            throw new ExpressionException(e.getMessage(), 1);
        }
    }

    /** A type by name: the C keywords' base types, then the program's. */
    public Optional<CType> type(String name) {
        if (isKeywordSpelling(name)) {
            return Builtins.find(name);
        }
        return scope.type(name);
    }

    private static boolean isKeywordSpelling(String name) {
        for (String w : name.split(" ")) {
            if (!List.of("signed", "unsigned", "char", "short", "int", "long", "float", "double", "void", "_Bool").contains(w)) {
                return false;
            }
        }
        return true;
    }

    private Value eval(Node n) {
        return switch (n) {
            case Node.Ident i -> identifier(i);
            case Node.Register r -> register(r);
            case Node.Literal l -> l.type().isFloat() ? Value.ofDouble(l.type(), Double.longBitsToDouble(l.bits())) : Value.ofLong(l.type(), l.bits());
            case Node.StringLit s -> Value.of(CType.arrayOf(Builtins.get("char"), s.bytes().length + 1L), Arrays.copyOf(s.bytes(), s.bytes().length + 1));
            case Node.Unary u -> unary(u);
            case Node.Binary b -> binary(b);
            case Node.Member m -> member(m);
            case Node.Index x -> index(x);
            case Node.Cast c -> cast(c);
            case Node.SizeofType s -> Arithmetic.intValue(s.type().size());
            case Node.SizeofExpr s -> Arithmetic.intValue(typeOnly(s.operand()).size());
            case Node.Assign a -> assign(a);
            case Node.Ternary t -> Arithmetic.truth(available(eval(t.condition()), t.column()), t.column()) ? eval(t.then()) : eval(t.otherwise());
        };
    }

    /** The type of an expression for sizeof (evaluated, as reading the value is harmless here). */
    private CType typeOnly(Node n) {
        return eval(n).type();
    }

    private Value identifier(Node.Ident i) {
        // this module's names (its enumerators included) before other modules': a large library's name index is read only when needed
        Optional<FrameScope.Variable> v = scope.lookupInModule(i.name());
        if (v.isPresent()) {
            return v.get().value();
        }
        Optional<Value> e = scope.enumerator(i.name());
        if (e.isPresent()) {
            return e.get();
        }
        return scope.lookupInOtherModules(i.name()).map(FrameScope.Variable::value)
                .orElseThrow(() -> new ExpressionException("No symbol \"" + i.name() + "\" in current context.", i.column()));
    }

    private Value register(Node.Register r) {
        String name = ALIASES.getOrDefault(r.name(), r.name());
        int reg = -1;
        for (int k = 0; k < Registers.COUNT; k++) {
            if (Registers.name(k).equals(name)) {
                reg = k;
            }
        }
        if (reg < 0) {
            throw new ExpressionException("No register $" + r.name() + ".", r.column());
        }
        CType type = switch (name) {
            case "rip" -> CType.pointerTo(CType.function(CType.VOID));
            case "rsp", "rbp" -> CType.pointerTo(CType.VOID);
            default -> Builtins.get("long");
        };
        var value = scope.registers().get(reg);
        return value.isPresent() ? Value.ofLong(type, value.getAsLong()) : Value.optimizedOut(type);
    }

    /** The value, or the error of reading it, thrown at the expression's column. */
    private Value available(Value v, int column) {
        if (typesOnly && !v.available()) {
            return Value.of(v.type(), new byte[(int) Math.min(Math.max(v.type().size(), 0), 1 << 20)]);
        }
        if (v.error() != null) {
            throw new ExpressionException(v.error(), column);
        }
        if (!v.available() && v.type().strip().kind() != CType.Kind.FUNCTION) {
            throw new ExpressionException("value has been optimized out", column);
        }
        return v;
    }

    /** Arrays and functions used as values become pointers to their first element / to themselves. */
    private Value decay(Value v, int column) {
        CType s = v.type().strip();
        if (s.kind() == CType.Kind.ARRAY) {
            if (v.address() < 0) {
                throw new ExpressionException("Attempt to take address of value not located in memory.", column);
            }
            return Value.ofLong(CType.pointerTo(s.target()), v.address());
        }
        if (s.kind() == CType.Kind.FUNCTION) {
            return Value.ofLong(CType.pointerTo(v.type()), v.address());
        }
        return available(v, column);
    }

    private Value unary(Node.Unary u) {
        Value v = eval(u.operand());
        switch (u.op()) {
            case "*" -> {
                return deref(decay(v, u.column()), u.column());
            }
            case "&" -> {
                if (v.address() < 0) {
                    throw new ExpressionException("Attempt to take address of value not located in memory.", u.column());
                }
                return Value.ofLong(CType.pointerTo(v.type()), v.address());
            }
            default -> {
                Value d = decay(v, u.column());
                if (u.op().equals("!") || !d.type().isPointer()) {
                    return Arithmetic.unary(u.op(), d, u.column());
                }
                throw new ExpressionException("Argument to arithmetic operation not a number or boolean.", u.column());
            }
        }
    }

    /** {@code *p}: the pointed-to object, read from memory (a function is just its address). */
    private Value deref(Value p, int column) {
        CType s = p.type().strip();
        if (s.isIntegral()) {
            return readAt(Builtins.get("int"), p.raw()); // gdb reads an int at an integer used as an address
        }
        if (!s.isPointer()) {
            throw new ExpressionException("Attempt to take contents of a non-pointer value.", column);
        }
        CType target = s.target();
        if (target.strip().kind() == CType.Kind.VOID) {
            throw new ExpressionException("Attempt to take contents of a non-pointer value.", column);
        }
        return readAt(target, p.raw());
    }

    private Value readAt(CType type, long address) {
        if (type.strip().kind() == CType.Kind.FUNCTION) {
            return Value.at(type, new byte[0], address);
        }
        long size = Math.min(type.size(), 1 << 20);
        byte[] b = new byte[(int) size];
        if (scope.memory().read(address, b, 0, (int) size) != size && !typesOnly) {
            return Value.error(type, address, "Cannot access memory at address 0x" + Long.toHexString(address));
        }
        return Value.at(type, b, address);
    }

    /** Comparisons and logical operators: gdb computes them even for whatis, so their operands must exist. */
    private static final List<String> ALWAYS_EVALUATED = List.of("<", ">", "<=", ">=", "==", "!=", "&&", "||");

    private Value binary(Node.Binary b) {
        if (typesOnly && ALWAYS_EVALUATED.contains(b.op())) {
            return new Evaluator(scope, writer, false).binary(b);
        }
        int col = b.column();
        if (b.op().equals("&&") || b.op().equals("||")) {
            boolean left = Arithmetic.truth(decay(eval(b.left()), col), col);
            if (b.op().equals("&&") ? !left : left) {
                return Arithmetic.intValue(left ? 1 : 0);
            }
            return Arithmetic.intValue(Arithmetic.truth(decay(eval(b.right()), col), col) ? 1 : 0);
        }
        if (b.op().equals("@")) {
            return repeat(eval(b.left()), available(eval(b.right()), col), col);
        }
        Value l = decay(eval(b.left()), col);
        Value r = decay(eval(b.right()), col);
        boolean lp = l.type().isPointer();
        boolean rp = r.type().isPointer();
        if (lp || rp) {
            return pointerArithmetic(b.op(), l, r, lp, rp, col);
        }
        return Arithmetic.binary(b.op(), l, r, col);
    }

    private Value pointerArithmetic(String op, Value l, Value r, boolean lp, boolean rp, int col) {
        if (lp && rp) {
            if (op.equals("-")) {
                long size = Math.max(1, l.type().strip().target().size());
                return Value.ofLong(Builtins.get("long"), (l.raw() - r.raw()) / size);
            }
            return Arithmetic.binary(op, Value.ofLong(Builtins.get("unsigned long"), l.raw()), Value.ofLong(Builtins.get("unsigned long"), r.raw()), col);
        }
        Value p = lp ? l : r;
        Value n = lp ? r : l;
        if (List.of("==", "!=", "<", ">", "<=", ">=", "&&", "||").contains(op)) {
            return Arithmetic.binary(op, Value.ofLong(Builtins.get("unsigned long"), p.raw()), n, col);
        }
        if (!n.type().isIntegral() || !(op.equals("+") || op.equals("-") && lp)) {
            throw new ExpressionException("Argument to arithmetic operation not a number or boolean.", col);
        }
        CType target = p.type().strip().target();
        long size = target.strip().kind() == CType.Kind.VOID ? 1 : target.size();
        long delta = n.asLong() * size;
        return Value.ofLong(p.type(), op.equals("+") ? p.raw() + delta : p.raw() - delta);
    }

    /** gdb's {@code x@n}: n objects of x's type starting at x's address. */
    private Value repeat(Value first, Value count, int col) {
        if (first.address() < 0) {
            throw new ExpressionException("Only values in memory can be extended with '@'.", col);
        }
        if (!count.type().isIntegral() || count.asLong() <= 0) {
            throw new ExpressionException("Invalid number " + (count.type().isIntegral() ? count.asLong() : 0) + " of repetitions.", col);
        }
        return readAt(CType.arrayOf(first.type(), count.asLong()), first.address());
    }

    private Value member(Node.Member m) {
        Value base = eval(m.base());
        if (m.arrow()) {
            if (typesOnly && base.isOptimizedOut()) {
                // gdb's whatis still reads the pointer of p->member (though not of *p)
                throw new ExpressionException("value has been optimized out", m.column());
            }
            Value p = decay(base, m.column());
            if (!p.type().isPointer()) {
                throw new ExpressionException("The -> operator needs a pointer to a struct or union, not " + p.type() + ".", m.column());
            }
            base = deref(p, m.column());
        }
        CType s = base.type().strip();
        if (!s.isStructLike()) {
            throw new ExpressionException("Attempt to extract a component of a value that is not a structure" + (m.arrow() ? " pointer." : "."),
                    m.column());
        }
        CType.Member member = s.member(m.name()).orElseThrow(() -> new ExpressionException("There is no member named " + m.name() + ".", m.column()));
        if (base.error() != null) {
            if (base.address() >= 0 && !member.isBitField()) {
                // gdb reads only the member of a struct in memory: its error names the member's address (p->next->id with
                // p->next null: 0x10, not 0x0), and a member readable where the rest of the struct is not has a value
                Value part = readAt(member.type(), base.address() + member.offset());
                if (part.error() == null) {
                    return part;
                }
                throw new ExpressionException(part.error(), m.column());
            }
            throw new ExpressionException(base.error(), m.column());
        }
        return ValueFormat.member(base, member); // a member of an optimized-out struct is <optimized out>
    }

    private Value index(Node.Index x) {
        Value base = eval(x.base());
        Value i = available(eval(x.index()), x.column());
        if (!i.type().isIntegral()) {
            throw new ExpressionException("Array subscript is not an integer.", x.column());
        }
        long k = i.asLong();
        CType s = base.type().strip();
        if (s.kind() == CType.Kind.ARRAY) {
            CType element = s.target();
            long size = element.size();
            if (base.available() && k >= 0 && (k + 1) * size <= base.bytes().length) {
                return base.part(element, k * size, size);
            }
            if (base.isOptimizedOut()) {
                return Value.optimizedOut(element); // gdb: an element of an optimized-out array is too
            }
            if (base.address() < 0) {
                throw new ExpressionException("no such vector element", x.column());
            }
            return readAt(element, base.address() + k * size);
        }
        if (s.isPointer()) {
            Value p = available(base, x.column());
            CType element = s.target();
            return readAt(element, p.raw() + k * element.size());
        }
        throw new ExpressionException("cannot subscript something of type `" + base.type() + "'", x.column());
    }

    /**
     * {@code target = value}: the value converted to the target's type (as C does), its bytes written over
     * the target in memory. Targets not in memory (a register variable, a bit field) are refused here.
     */
    private Value assign(Node.Assign a) {
        if (typesOnly) {
            return eval(a.target());
        }
        Value target = eval(a.target());
        Value value = eval(a.value());
        int col = a.column();
        if (writer == null) {
            throw new ExpressionException("Cannot write memory here (no live process).", col);
        }
        if (target.address() < 0) {
            throw new ExpressionException("Left operand of assignment is not an lvalue.", col);
        }
        CType t = target.type().strip();
        byte[] bytes;
        if (t.isStructLike() || t.kind() == CType.Kind.ARRAY) {
            if (value.type().strip() != t || !value.available()) {
                throw new ExpressionException("Invalid cast.", col);
            }
            bytes = value.bytes();
        } else {
            bytes = Arithmetic.convert(decay(value, col), target.type(), col).bytes();
        }
        if (bytes.length != target.type().size() || target.bytes() != null && target.bytes().length != bytes.length) {
            throw new ExpressionException("Left operand of assignment is not a modifiable lvalue.", col);
        }
        if (!writer.write(target.address(), bytes)) {
            throw new ExpressionException("Cannot access memory at address 0x" + Long.toHexString(target.address()), col);
        }
        return Value.at(target.type(), bytes, target.address());
    }

    private Value cast(Node.Cast c) {
        Value v = eval(c.operand());
        CType to = c.type();
        if (to.strip().isStructLike()) {
            if (v.type().strip() == to.strip()) {
                return v.withType(to);
            }
            throw new ExpressionException("Invalid cast.", c.column());
        }
        if (to.strip().kind() == CType.Kind.VOID) {
            return Value.of(to, new byte[0]);
        }
        return Arithmetic.convert(decay(v, c.column()), to, c.column());
    }
}
