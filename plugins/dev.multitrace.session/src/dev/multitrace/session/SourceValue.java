package dev.multitrace.session;

import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeNames;
import dev.multitrace.symbols.values.Value;
import dev.multitrace.symbols.values.ValueFormat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A variable, member, element or expression of a stopped program, for a tree view: its name, C type, text
 * as gdb prints it, and children made on demand. A struct's children are its members; an array's its
 * elements, grouped in ranges of {@link #CHUNK} when there are more (a range is a node of its own, named
 * {@code [100..199]}, with no value); a pointer's child is what it points to, read from the process only
 * when asked for. Each node but a range carries a C expression that names it ({@code head->next},
 * {@code head->name}, {@code numbers[2]}), through which it is assigned.
 */
public final class SourceValue {

    /** At most this many elements of an array are children of one node (as the Variables view shows them). */
    public static final int CHUNK = 100;

    /** An expression that can take a postfix operator ({@code .m}, {@code [i]}) without parentheses. */
    private static final Pattern POSTFIX_SAFE = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_]*|->[A-Za-z_][A-Za-z0-9_]*|\\[\\d+\\])*");

    private final FrameVariables frame;
    private final String name;
    private final String expression;
    /** The expression of the array whose elements this node (or, for a range, its children) are. */
    private final String arrayExpression;
    private final Value value;
    /** For a range node: the array value and the first element; otherwise the range is unused. */
    private final long rangeFirst;
    private final long rangeCount;
    private List<SourceValue> children;

    SourceValue(FrameVariables frame, String name, String expression, Value value) {
        this(frame, name, expression, value, -1, 0);
    }

    private SourceValue(FrameVariables frame, String name, String expression, Value value, long rangeFirst, long rangeCount) {
        this(frame, name, expression, expression, value, rangeFirst, rangeCount);
    }

    private SourceValue(FrameVariables frame, String name, String expression, String arrayExpression, Value value, long rangeFirst,
            long rangeCount) {
        this.frame = frame;
        this.name = name;
        this.expression = expression;
        this.arrayExpression = arrayExpression;
        this.value = value;
        this.rangeFirst = rangeFirst;
        this.rangeCount = rangeCount;
    }

    /** As the view names it: {@code count}, {@code [3]}, {@code *head}, {@code [100..199]}. */
    public String name() {
        return name;
    }

    /** A C expression naming this value in its frame; null for a range of elements, and for an anonymous member. */
    public String expression() {
        return expression;
    }

    /** The symbol layer's value (for a range node: the whole array). */
    public Value value() {
        return value;
    }

    /** Whether this node is a range of an array's elements rather than a value. */
    public boolean isRange() {
        return rangeFirst >= 0;
    }

    /** Its C type as gdb names it ({@code struct node *}, {@code int [5]}); empty for a range. */
    public String typeName() {
        return isRange() ? "" : TypeNames.name(value.type());
    }

    /** As gdb's {@code info locals} prints it; empty for a range. */
    public String text() {
        return isRange() ? "" : frame.format(value);
    }

    /**
     * Its text in one of gdb's output formats, as {@code print/F} shows it: {@code x} hexadecimal, {@code d}
     * signed decimal, {@code o} octal, {@code t} binary (an aggregate's members each so); 0 for the natural
     * text ({@link #text()}). Empty for a range.
     *
     * @throws IllegalArgumentException for a letter gdb does not define
     */
    public String text(char format) {
        return isRange() ? "" : frame.format(value, format);
    }

    /** What kind of value it is, for a view that draws or expands each kind its own way. */
    public enum Shape {
        /** Integers, floating point, booleans, characters. */
        SCALAR,
        POINTER,
        ARRAY,
        /** A struct, union or class. */
        AGGREGATE,
        ENUMERATION,
        FUNCTION,
        /** A range of an array's elements (no value of its own), or void. */
        NONE
    }

    public Shape shape() {
        if (isRange()) {
            return Shape.NONE;
        }
        return switch (value.type().strip().kind()) {
            case POINTER, REFERENCE -> Shape.POINTER;
            case ARRAY -> Shape.ARRAY;
            case STRUCT, UNION, CLASS -> Shape.AGGREGATE;
            case ENUM -> Shape.ENUMERATION;
            case FUNCTION -> Shape.FUNCTION;
            case VOID -> Shape.NONE;
            default -> Shape.SCALAR;
        };
    }

    /** Where it is in the program's memory; empty for a value in a register, a computed one, or a range. */
    public OptionalLong address() {
        return isRange() || value.address() < 0 ? OptionalLong.empty() : OptionalLong.of(value.address());
    }

    /** Its type's size in bytes (0 for a range or a type of unknown size). */
    public long size() {
        return isRange() ? 0 : Math.max(0, value.type().size());
    }

    /** Whether it has children: a struct with members, a non-empty array, a range, a non-null pointer to data. */
    public boolean hasChildren() {
        if (isRange()) {
            return true;
        }
        if (!value.available()) {
            return false;
        }
        CType t = value.type().strip();
        return switch (t.kind()) {
            case STRUCT, UNION, CLASS -> !t.members().isEmpty();
            case ARRAY -> t.count() > 0;
            case POINTER, REFERENCE -> {
                CType target = t.target().strip();
                yield value.raw() != 0 && target.kind() != CType.Kind.VOID && target.kind() != CType.Kind.FUNCTION && !target.incomplete()
                        && target.size() > 0;
            }
            default -> false;
        };
    }

    /** Its children (see the class comment); made once, a pointer's target read from the process then. */
    public synchronized List<SourceValue> children() {
        if (children == null) {
            children = hasChildren() ? makeChildren() : List.of();
        }
        return children;
    }

    private List<SourceValue> makeChildren() {
        if (isRange()) {
            return elements(rangeFirst, rangeCount);
        }
        CType t = value.type().strip();
        List<SourceValue> out = new ArrayList<>();
        switch (t.kind()) {
            case STRUCT, UNION, CLASS -> {
                for (CType.Member m : t.members()) {
                    String memberName = m.name() == null ? "<anonymous " + m.type().strip().kind().name().toLowerCase() + ">" : m.name();
                    String memberExpression = m.name() == null || expression == null ? null : memberOf(expression, m.name());
                    out.add(new SourceValue(frame, memberName, memberExpression, ValueFormat.member(value, m)));
                }
            }
            case ARRAY -> {
                long count = t.count();
                if (count <= CHUNK) {
                    return elements(0, count);
                }
                for (long first = 0; first < count; first += CHUNK) {
                    long n = Math.min(CHUNK, count - first);
                    out.add(new SourceValue(frame, "[" + first + ".." + (first + n - 1) + "]", null, expression, value, first, n));
                }
            }
            case POINTER, REFERENCE -> out.add(new SourceValue(frame, "*" + name, expression == null ? null : "*" + postfix(expression),
                    pointee(t.target())));
            default -> {
                // scalars have no children
            }
        }
        return out;
    }

    /** Elements {@code [first, first + count)} of this (array) value. */
    private List<SourceValue> elements(long first, long count) {
        CType element = value.type().strip().target();
        long size = element.size();
        List<SourceValue> out = new ArrayList<>((int) count);
        for (long i = first; i < first + count; i++) {
            Value e = value.available() ? value.part(element, i * size, size) : Value.optimizedOut(element);
            out.add(new SourceValue(frame, "[" + i + "]", arrayExpression == null ? null : postfix(arrayExpression) + "[" + i + "]", e));
        }
        return out;
    }

    /** What this pointer points to, read now (an unreadable address is a value carrying gdb's message). */
    private Value pointee(CType target) {
        long address = value.raw();
        byte[] bytes = new byte[(int) Math.min(target.size(), 1 << 20)];
        if (frame.read(address, bytes) != bytes.length) {
            return Value.error(target, address, "Cannot access memory at address 0x" + Long.toHexString(address));
        }
        return Value.at(target, bytes, address);
    }

    /** {@code e.member}, or {@code p->member} when {@code e} is {@code *p} (a pointer's child), as a user writes it. */
    private static String memberOf(String e, String member) {
        if (e.startsWith("*") && POSTFIX_SAFE.matcher(e.substring(1)).matches()) {
            return e.substring(1) + "->" + member;
        }
        return postfix(e) + "." + member;
    }

    /** {@code e} ready for a postfix operator: as it is when that keeps its meaning, else in parentheses. */
    private static String postfix(String e) {
        return POSTFIX_SAFE.matcher(e).matches() ? e : "(" + e + ")";
    }

    /**
     * Assigns {@code newValue} (a C expression) to this value in the program, as {@link FrameVariables#assign}.
     *
     * @return the new value
     */
    public SourceValue assign(String newValue) {
        if (expression == null) {
            throw new dev.multitrace.symbols.expr.ExpressionException("This element has no expression to assign through.", 1);
        }
        return frame.assign(expression, newValue);
    }

    @Override
    public String toString() {
        return name + " = " + text();
    }
}
