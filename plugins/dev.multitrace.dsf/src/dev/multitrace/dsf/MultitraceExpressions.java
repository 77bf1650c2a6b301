package dev.multitrace.dsf;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.Expression;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IExpressions;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.utils.Addr64;

/**
 * Expressions over registers and memory, in the session's expression language (the one of breakpoint
 * conditions): {@code $rip}, {@code $rsp + 16}, {@code *(int*)&counter}, {@code *(long*)($rbp - 8)}. Each is
 * a 64-bit integer of the suspended thread's innermost frame. A register ({@code $name}) and a dereference
 * ({@code *(T*)ADDRESS}) are writable, and a dereference has an address for the memory views. C variables
 * and types are the source-level data's, not here yet.
 */
public final class MultitraceExpressions extends SessionService implements IExpressions {

    /** {@code $name}: a register. */
    private static final Pattern REGISTER = Pattern.compile("\\s*\\$([a-z0-9_]+)\\s*");
    /** {@code *(type*)rest}: a load of {@code type} at {@code rest}. */
    private static final Pattern LOAD = Pattern.compile("\\s*\\*\\s*\\(\\s*([a-z_0-9 ]+?)\\s*\\*\\s*\\)(.+)", Pattern.DOTALL);
    private static final Map<String, Integer> SIZES = Map.ofEntries(Map.entry("char", 1), Map.entry("unsigned char", 1),
            Map.entry("signed char", 1), Map.entry("short", 2), Map.entry("unsigned short", 2), Map.entry("int", 4),
            Map.entry("unsigned", 4), Map.entry("unsigned int", 4), Map.entry("long", 8), Map.entry("unsigned long", 8),
            Map.entry("long long", 8), Map.entry("unsigned long long", 8), Map.entry("int8_t", 1),
            Map.entry("uint8_t", 1), Map.entry("int16_t", 2), Map.entry("uint16_t", 2), Map.entry("int32_t", 4),
            Map.entry("uint32_t", 4), Map.entry("int64_t", 8), Map.entry("uint64_t", 8), Map.entry("size_t", 8));

    public MultitraceExpressions(DsfSession session) {
        super(session, false, IExpressions.class);
    }

    /** An expression in a thread's (or frame's) context. */
    public static final class ExpressionContext extends AbstractDMContext implements IExpressionDMContext {
        private final String expression;

        ExpressionContext(IDMContext parent, String expression) {
            super(parent.getSessionId(), new IDMContext[] { parent });
            this.expression = expression;
        }

        @Override
        public String getExpression() {
            return expression;
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((ExpressionContext) o).expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ expression.hashCode();
        }

        @Override
        public String toString() {
            return baseToString() + ".expression[" + expression + "]";
        }
    }

    public static final class ExpressionChangedEvent extends AbstractDMEvent<IExpressionDMContext>
            implements IExpressionChangedDMEvent {
        ExpressionChangedEvent(IExpressionDMContext ctx) {
            super(ctx);
        }
    }

    private record ExpressionData(String name, int size) implements IExpressionDMData {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public BasicType getBasicType() {
            return BasicType.basic;
        }

        @Override
        public String getTypeName() {
            return switch (size) {
                case 1 -> "char";
                case 2 -> "short";
                case 4 -> "int";
                default -> "long";
            };
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

    @Override
    public IExpressionDMContext createExpression(IDMContext ctx, String expression) {
        IDMContext parent = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        if (parent == null) {
            parent = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        }
        return new ExpressionContext(parent != null ? parent : ctx, expression);
    }

    /** The suspended thread the expression is evaluated in, its innermost frame; null with {@code rm} failed. */
    private ThreadContext heldThread(IDMContext ctx, RequestMonitor rm) {
        ThreadContext t = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        if (t == null) {
            fail(rm, INVALID_HANDLE, "an expression needs a thread: " + ctx);
            return null;
        }
        IFrameDMContext f = DMContexts.getAncestorOfType(ctx, IFrameDMContext.class);
        if (f != null && f.getLevel() != 0) {
            fail(rm, NOT_SUPPORTED, "expressions in outer frames are not offered yet (frame " + f.getLevel() + ")");
            return null;
        }
        DebugSession s = backend.live(t.process(), rm);
        if (s == null) {
            return null;
        }
        if (!s.isHeld(t.tid())) {
            fail(rm, INVALID_STATE, "thread " + t.tid() + " is running");
            return null;
        }
        return t;
    }

    /** The expression's value, or null with {@code rm} failed. */
    private Long evaluate(IExpressionDMContext ctx, ThreadContext t, RequestMonitor rm) {
        try {
            return Expression.parse(ctx.getExpression()).evaluate(backend.debugSession().context(t.tid()));
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return null;
        }
    }

    /** The size a load expression reads (8 for anything else, the language's width). */
    private static int sizeOf(String expression) {
        Matcher m = LOAD.matcher(expression);
        return m.matches() ? SIZES.getOrDefault(m.group(1).replaceAll("\\s+", " "), 8) : 8;
    }

    @Override
    public void getExpressionData(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMData> rm) {
        try {
            Expression.parse(ctx.getExpression());
        } catch (Expression.ExpressionException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return;
        }
        rm.setData(new ExpressionData(ctx.getExpression(), sizeOf(ctx.getExpression())));
        rm.done();
    }

    @Override
    public void getExpressionAddressData(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMAddress> rm) {
        Matcher m = LOAD.matcher(ctx.getExpression());
        if (!m.matches()) {
            fail(rm, NOT_SUPPORTED, "only a load *(type*)ADDRESS has an address: " + ctx.getExpression());
            return;
        }
        ThreadContext t = heldThread(ctx, rm);
        if (t == null) {
            return;
        }
        Long address = evaluate(new ExpressionContext(ctx, m.group(2)), t, rm);
        if (address == null) {
            return;
        }
        rm.setData(new AddressData(address, sizeOf(ctx.getExpression())));
        rm.done();
    }

    @Override
    public void getSubExpressions(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMContext[]> rm) {
        rm.setData(new IExpressionDMContext[0]); // integers have no parts
        rm.done();
    }

    @Override
    public void getSubExpressions(IExpressionDMContext ctx, int startIndex, int length,
            DataRequestMonitor<IExpressionDMContext[]> rm) {
        getSubExpressions(ctx, rm);
    }

    @Override
    public void getSubExpressionCount(IExpressionDMContext ctx, DataRequestMonitor<Integer> rm) {
        rm.setData(0);
        rm.done();
    }

    @Override
    public void getBaseExpressions(IExpressionDMContext ctx, DataRequestMonitor<IExpressionDMContext[]> rm) {
        rm.setData(new IExpressionDMContext[] { ctx });
        rm.done();
    }

    @Override
    public void canWriteExpression(IExpressionDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(REGISTER.matcher(ctx.getExpression()).matches() || LOAD.matcher(ctx.getExpression()).matches());
        rm.done();
    }

    @Override
    public void writeExpression(IExpressionDMContext ctx, String value, String formatId, RequestMonitor rm) {
        ThreadContext t = heldThread(ctx, rm);
        if (t == null) {
            return;
        }
        long v;
        try {
            v = Formats.parse(value, formatId);
        } catch (NumberFormatException e) {
            fail(rm, REQUEST_FAILED, "not a number: " + value);
            return;
        }
        DebugSession s = backend.debugSession();
        Matcher reg = REGISTER.matcher(ctx.getExpression());
        Matcher load = LOAD.matcher(ctx.getExpression());
        try {
            if (reg.matches()) {
                GeneralRegisters.write(s.examine(t.tid()), reg.group(1), v);
            } else if (load.matches()) {
                Long address = evaluate(new ExpressionContext(ctx, load.group(2)), t, rm);
                if (address == null) {
                    return;
                }
                byte[] bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
                s.examine(t.tid()).write(address, java.util.Arrays.copyOf(bytes, sizeOf(ctx.getExpression())));
            } else {
                fail(rm, NOT_SUPPORTED, "only a register or a load is writable: " + ctx.getExpression());
                return;
            }
        } catch (RuntimeException e) {
            fail(rm, REQUEST_FAILED, e.getMessage());
            return;
        }
        getSession().dispatchEvent(new ExpressionChangedEvent(ctx), getProperties());
        rm.done();
    }

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
        IExpressionDMContext e = DMContexts.getAncestorOfType(ctx, IExpressionDMContext.class);
        if (e == null) {
            fail(rm, INVALID_HANDLE, "not an expression's value: " + ctx);
            return;
        }
        ThreadContext t = heldThread(e, rm);
        if (t == null) {
            return;
        }
        Long v = evaluate(e, t, rm);
        if (v == null) {
            return;
        }
        boolean hex = REGISTER.matcher(e.getExpression()).matches();
        String shown = Formats.format(v, ctx.getFormatID(), hex);
        rm.setData(new FormattedValueDMData(shown, shown));
        rm.done();
    }

    private static void fail(RequestMonitor rm, int code, String message) {
        rm.setStatus(DebugSessionService.error(code, message));
        rm.done();
    }
}
