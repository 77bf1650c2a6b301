package dev.multitrace.dsf;

import dev.multitrace.session.FrameVariables;
import dev.multitrace.session.SourceValue;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IExpressions;
import org.eclipse.cdt.dsf.debug.service.IExpressions2;
import org.eclipse.cdt.dsf.debug.service.IExpressions3;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.utils.Addr64;

/**
 * C expressions in a frame of a suspended thread, evaluated by the session as gdb does
 * ({@code head->next->count * 2}, {@code numbers[1] == 20}, {@code $rip}, {@code *(int*)&counter},
 * {@code (char)origin.x}, {@code big[3]@4}). An expression has gdb's text in the natural format and
 * {@code print/x}'s, {@code /d}'s, {@code /o}'s and {@code /t}'s in the others; its type's name; its
 * address when it is in memory; and sub-expressions: a struct's members, an array's elements (DSF's
 * views ask for them in partitions), a pointer's target. A write assigns a C expression to it.
 * Without a frame in the context an expression is evaluated in the thread's innermost frame. The same service
 * serves a live session and a core's (whose writes are refused).
 * <p>
 * An expression is evaluated again at each request (the frame data is kept by the stack service,
 * {@link MultitraceStack} per stop, {@link CoreStack} for good); a sub-expression is found from its parent by its index, so members without a
 * name of their own (anonymous unions) are reached too.
 */
public final class MultitraceExpressions extends MultitraceService implements IExpressions3 {

    private static final char NATURAL = 0;

    /** The stack service, live or a core's: where a frame's data comes from. */
    private FrameVariablesSource stack;

    public MultitraceExpressions(DsfSession session) {
        super(session, IExpressions.class, IExpressions2.class, IExpressions3.class);
    }

    @Override
    protected void start() throws org.eclipse.core.runtime.CoreException {
        if (!(getServicesTracker().getService(org.eclipse.cdt.dsf.debug.service.IStack.class) instanceof FrameVariablesSource s)) {
            throw new org.eclipse.core.runtime.CoreException(error(INTERNAL_ERROR, "the expressions need a Multitrace stack service first"));
        }
        stack = s;
    }

    /**
     * An expression in a frame's (or a thread's) context; a sub-expression has its parent expression as
     * parent context and its index among the parent's children.
     */
    public static class ExpressionContext extends AbstractDMContext implements IExpressionDMContext {
        private final String expression;
        private final String name;
        private final int index;

        ExpressionContext(IDMContext parent, String expression) {
            this(parent, expression, expression, -1);
        }

        ExpressionContext(IDMContext parent, String expression, String name, int index) {
            super(parent.getSessionId(), new IDMContext[] { parent });
            this.expression = expression;
            this.name = name;
            this.index = index;
        }

        /** A C expression naming it; for a member with no name of its own, its label ({@code <anonymous union>}). */
        @Override
        public String getExpression() {
            return expression;
        }

        /** As the views label it: the expression, or a member's or element's name ({@code count}, {@code [2]}). */
        public String name() {
            return name;
        }

        /** The parent expression of a sub-expression, else null. */
        ExpressionContext parentExpression() {
            return index >= 0 ? (ExpressionContext) getParents()[0] : null;
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((ExpressionContext) o).index == index && ((ExpressionContext) o).expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ expression.hashCode() ^ index;
        }

        @Override
        public String toString() {
            return baseToString() + ".expression[" + expression + "]";
        }
    }

    /** An expression seen as another type, or as an array of some of its elements (IExpressions2). */
    public static final class CastedExpressionContext extends ExpressionContext implements ICastedExpressionDMContext {
        private final CastInfo cast;

        CastedExpressionContext(IExpressionDMContext original, String expression, CastInfo cast) {
            super(original.getParents()[0], expression);
            this.cast = cast;
        }

        @Override
        public CastInfo getCastInfo() {
            return cast;
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o) && o instanceof CastedExpressionContext c && c.cast.equals(cast);
        }

        @Override
        public int hashCode() {
            return super.hashCode() ^ cast.hashCode();
        }
    }

    public static final class ExpressionChangedEvent extends AbstractDMEvent<IExpressionDMContext>
            implements IExpressionChangedDMEvent {
        ExpressionChangedEvent(IExpressionDMContext ctx) {
            super(ctx);
        }
    }

    private record ExpressionData(String name, SourceValue value) implements IExpressionDMDataExtension {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public BasicType getBasicType() {
            return switch (value.shape()) {
                case SCALAR -> BasicType.basic;
                case POINTER -> BasicType.pointer;
                case ARRAY -> BasicType.array;
                case AGGREGATE -> BasicType.composite;
                case ENUMERATION -> BasicType.enumeration;
                case FUNCTION -> BasicType.function;
                case NONE -> BasicType.unknown;
            };
        }

        @Override
        public String getTypeName() {
            return value.typeName();
        }

        @Override
        public String getEncoding() {
            return null;
        }

        @Override
        public String getTypeId() {
            return null;
        }

        @Override
        public Map<String, Integer> getEnumerations() {
            return Map.of();
        }

        @Override
        public IRegisterDMContext getRegister() {
            return null;
        }

        @Override
        public boolean hasChildren() {
            return value.hasChildren();
        }
    }

    private record AddressData(long address, int size) implements IExpressionDMAddress {
        @Override
        public IAddress getAddress() {
            return new Addr64(new BigInteger(Long.toUnsignedString(address)));
        }

        @Override
        public int getSize() {
            return size;
        }
    }

    // ------------------------------------------------------------------ contexts

    @Override
    public IExpressionDMContext createExpression(IDMContext ctx, String expression) {
        IDMContext parent = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        if (parent == null) {
            parent = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        }
        return new ExpressionContext(parent != null ? parent : ctx, expression);
    }

    /**
     * {@code (TYPE)(EXPRESSION)} for a type; {@code EXPRESSION[START]@COUNT} for an array view (gdb's
     * artificial array), both as C text of their own.
     */
    @Override
    public ICastedExpressionDMContext createCastedExpression(IExpressionDMContext ctx, CastInfo cast) {
        String e = ctx.getExpression();
        if (cast.getTypeString() != null && !cast.getTypeString().isBlank()) {
            e = "(" + cast.getTypeString().strip() + ")(" + e + ")";
        }
        if (cast.getArrayCount() > 0) {
            e = "(" + e + ")[" + cast.getArrayStartIndex() + "]@" + cast.getArrayCount();
        }
        return new CastedExpressionContext(ctx, e, cast);
    }

    // ------------------------------------------------------------------ evaluation

    /** A value and the frame data it was read through. */
    private record Evaluated(FrameVariables frame, SourceValue value) {
    }

    /** Evaluates {@code ctx} (a sub-expression through its parent) now, or null with {@code rm} failed. */
    private Evaluated evaluate(IExpressionDMContext ctx, RequestMonitor rm) {
        ThreadContext t = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        if (t == null) {
            fail(rm, INVALID_HANDLE, "an expression needs a thread: " + ctx);
            return null;
        }
        IFrameDMContext f = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        FrameVariables frame = stack.variables(t, f == null ? 0 : f.getLevel(), rm);
        if (frame == null) {
            return null;
        }
        try {
            SourceValue v = valueOf(frame, ctx);
            return new Evaluated(frame, v);
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, ctx.getExpression() + ": " + e.getMessage());
            return null;
        }
    }

    private static SourceValue valueOf(FrameVariables frame, IExpressionDMContext ctx) {
        ExpressionContext parent = ctx instanceof ExpressionContext e ? e.parentExpression() : null;
        if (parent == null) {
            return frame.evaluate(ctx.getExpression());
        }
        SourceValue of = valueOf(frame, parent);
        int i = ((ExpressionContext) ctx).index;
        if (i >= childCount(of)) {
            throw new IllegalStateException("it has no part " + i + " any more");
        }
        return child(of, i);
    }

    /**
     * How many children a value has, an array's elements counted one by one: the session groups a long
     * array's elements in ranges of {@link SourceValue#CHUNK}, DSF's views make partitions of their own.
     */
    private static int childCount(SourceValue v) {
        if (!v.hasChildren()) {
            return 0;
        }
        List<SourceValue> children = v.children();
        if (children.isEmpty() || !children.get(0).isRange()) {
            return children.size();
        }
        return SourceValue.CHUNK * (children.size() - 1) + children.get(children.size() - 1).children().size();
    }

    private static SourceValue child(SourceValue v, int i) {
        List<SourceValue> children = v.children();
        return children.get(0).isRange() ? children.get(i / SourceValue.CHUNK).children().get(i % SourceValue.CHUNK)
                : children.get(i);
    }

    private static String nameOf(IExpressionDMContext ctx) {
        return ctx instanceof ExpressionContext e ? e.name() : ctx.getExpression();
    }

    @Override
    public void getExpressionData(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMData> rm) {
        Evaluated e = evaluate(ctx, rm);
        if (e != null) {
            rm.setData(new ExpressionData(nameOf(ctx), e.value()));
            rm.done();
        }
    }

    @Override
    public void getExpressionDataExtension(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMDataExtension> rm) {
        Evaluated e = evaluate(ctx, rm);
        if (e != null) {
            rm.setData(new ExpressionData(nameOf(ctx), e.value()));
            rm.done();
        }
    }

    @Override
    public void getExpressionAddressData(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMAddress> rm) {
        Evaluated e = evaluate(ctx, rm);
        if (e == null) {
            return;
        }
        OptionalLong address = e.value().address();
        if (address.isEmpty()) {
            fail(rm, NOT_SUPPORTED, ctx.getExpression() + " is not in memory");
            return;
        }
        rm.setData(new AddressData(address.getAsLong(), (int) Math.min(Integer.MAX_VALUE, e.value().size())));
        rm.done();
    }

    @Override
    public void getSubExpressions(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMContext[]> rm) {
        getSubExpressions(ctx, 0, Integer.MAX_VALUE, rm);
    }

    @Override
    public void getSubExpressions(IExpressionDMContext ctx, int startIndex, int length,
            DataRequestMonitor<IExpressionDMContext[]> rm) {
        Evaluated e = evaluate(ctx, rm);
        if (e == null) {
            return;
        }
        if (!(ctx instanceof ExpressionContext parent)) {
            fail(rm, INVALID_HANDLE, "not an expression of this session: " + ctx);
            return;
        }
        try {
            int count = childCount(e.value());
            int first = Math.max(0, startIndex);
            int end = length < 0 ? count : (int) Math.min(count, (long) first + length); // -1: all the rest
            IExpressionDMContext[] out = new IExpressionDMContext[Math.max(0, end - first)];
            for (int i = first; i < end; i++) {
                SourceValue c = child(e.value(), i);
                String text = c.expression() != null ? c.expression() : c.name();
                out[i - first] = new ExpressionContext(parent, text, c.name(), i);
            }
            rm.setData(out);
        } catch (RuntimeException ex) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, ctx.getExpression() + ": " + ex.getMessage()));
        }
        rm.done();
    }

    @Override
    public void getSubExpressionCount(IExpressionDMContext ctx, DataRequestMonitor<Integer> rm) {
        Evaluated e = evaluate(ctx, rm);
        if (e == null) {
            return;
        }
        try {
            rm.setData(childCount(e.value()));
        } catch (RuntimeException ex) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, ctx.getExpression() + ": " + ex.getMessage()));
        }
        rm.done();
    }

    @Override
    public void getBaseExpressions(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMContext[]> rm) {
        rm.setData(new IExpressionDMContext[] { ctx });
        rm.done();
    }

    // ------------------------------------------------------------------ writing

    /** Writable: a value the program keeps (in memory or, in the innermost frame, a register) that has a C name. */
    @Override
    public void canWriteExpression(IExpressionDMContext ctx, DataRequestMonitor<Boolean> rm) {
        Evaluated e = evaluate(ctx, rm);
        if (e == null) {
            return;
        }
        SourceValue v = e.value();
        boolean register = v.expression() != null && v.expression().startsWith("$") && e.frame().level() == 0;
        rm.setData(v.expression() != null && v.shape() != SourceValue.Shape.NONE && v.shape() != SourceValue.Shape.FUNCTION
                && (v.address().isPresent() || register));
        rm.done();
    }

    /**
     * Assigns {@code value} to the expression: in the natural format a C expression ({@code 70 + 7},
     * {@code GREEN}, {@code &chain[2]}), in the others a number in that base.
     */
    @Override
    public void writeExpression(IExpressionDMContext ctx, String value, String formatId, RequestMonitor rm) {
        String text;
        try {
            text = formatId == null || IFormattedValues.NATURAL_FORMAT.equals(formatId) ? Objects.requireNonNull(value)
                    : Long.toString(Formats.parse(value, formatId));
        } catch (NumberFormatException | NullPointerException e) {
            fail(rm, REQUEST_FAILED, "not a number in the " + formatId + " format: " + value);
            return;
        }
        if (text.isBlank()) {
            fail(rm, REQUEST_FAILED, "no value to write to " + ctx.getExpression());
            return;
        }
        Evaluated e = evaluate(ctx, rm);
        if (e == null) {
            return;
        }
        try {
            e.value().assign(text);
        } catch (RuntimeException ex) {
            fail(rm, REQUEST_FAILED, "cannot write " + ctx.getExpression() + ": " + ex.getMessage());
            return;
        }
        getSession().dispatchEvent(new ExpressionChangedEvent(ctx), getProperties());
        rm.done();
    }

    // ------------------------------------------------------------------ formats

    @Override
    public void getAvailableFormats(IFormattedDataDMContext ctx, DataRequestMonitor<String[]> rm) {
        rm.setData(Formats.AVAILABLE.clone());
        rm.done();
    }

    @Override
    public FormattedValueDMContext getFormattedValueContext(IFormattedDataDMContext ctx, String formatId) {
        return new FormattedValueDMContext(this, ctx, formatId);
    }

    @Override
    public void getFormattedExpressionValue(FormattedValueDMContext ctx, DataRequestMonitor<FormattedValueDMData> rm) {
        IExpressionDMContext expression = DMContexts.getAncestorOfType(ctx, IExpressionDMContext.class);
        if (expression == null) {
            fail(rm, INVALID_HANDLE, "not an expression's value: " + ctx);
            return;
        }
        Evaluated e = evaluate(expression, rm);
        if (e == null) {
            return;
        }
        char letter = switch (ctx.getFormatID()) {
            case IFormattedValues.HEX_FORMAT -> 'x';
            case IFormattedValues.DECIMAL_FORMAT -> 'd';
            case IFormattedValues.OCTAL_FORMAT -> 'o';
            case IFormattedValues.BINARY_FORMAT -> 't';
            default -> NATURAL;
        };
        try {
            String shown = letter == NATURAL ? e.value().text() : e.value().text(letter);
            rm.setData(new FormattedValueDMData(shown, shown));
        } catch (RuntimeException ex) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, expression.getExpression() + ": " + ex.getMessage()));
        }
        rm.done();
    }

    private static void fail(RequestMonitor rm, int code, String message) {
        rm.setStatus(DebugSessionService.error(code, message));
        rm.done();
    }
}
