package dev.multitrace.debug.core.model;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.XState;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.session.Expression;

import java.util.Arrays;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IValue;

/**
 * One register of the innermost frame of a suspended thread, editable: the new value is an
 * expression of the condition language ({@code 0x10}, {@code $rax + 1}); registers wider than 64
 * bits (x87, XMM, YMM, ZMM) also take a hex number of their full width.
 */
public final class MultitraceRegister extends MultitraceDebugElement implements IRegister {

    private final MultitraceStackFrame frame;
    private final MultitraceRegisterGroup group;
    private final String name;
    private final RegisterKind kind;
    private final String type;

    MultitraceRegister(MultitraceStackFrame frame, MultitraceRegisterGroup group, String name, RegisterKind kind,
            String type) {
        super(frame.getDebugTarget());
        this.frame = frame;
        this.group = group;
        this.name = name;
        this.kind = kind;
        this.type = type;
    }

    @Override
    public IRegisterGroup getRegisterGroup() {
        return group;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getReferenceTypeName() {
        return type;
    }

    /** The value now, as an integer (the low 64 bits for wide registers). */
    public long longValue() throws DebugException {
        IValue v = getValue();
        if (v instanceof MultitraceValue m && !"error".equals(m.getReferenceTypeName())) {
            return m.longValue();
        }
        throw new DebugException(MultitraceDebug.error(name + ": " + v.getValueString(), null));
    }

    @Override
    public IValue getValue() {
        MultitraceThread thread = frame.thread();
        try {
            return switch (kind) {
                case RegisterKind.General g -> MultitraceValue.ofLong(getDebugTarget(), type, thread.registers().get(g.name()));
                case RegisterKind.Flag f -> MultitraceValue.ofLong(getDebugTarget(), type,
                        (thread.registers().get("eflags") >>> f.bit()) & 1);
                case RegisterKind.FpArea a -> MultitraceValue.ofBytes(getDebugTarget(), type,
                        Arrays.copyOfRange(thread.fpArea(), a.offset(), a.offset() + a.length()));
                case RegisterKind.Ymm y -> MultitraceValue.ofBytes(getDebugTarget(), type, ymm(thread, y.index()));
                case RegisterKind.Zmm z -> MultitraceValue.ofBytes(getDebugTarget(), type, zmm(thread, z.index()));
                // k0-7 and pkru are integers (masks, key rights): shown like the general registers
                case RegisterKind.XStateBytes x -> MultitraceValue.ofLong(getDebugTarget(), type, littleEndian(
                        XState.read(thread.xstate(), x.component(), x.offset(), x.length())));
            };
        } catch (RuntimeException | DebugException e) {
            return MultitraceValue.error(getDebugTarget(), MultitraceDebug.describe(e));
        }
    }

    /** XMM from fxsave; the high 128 bits from XSAVE's AVX component (zeros where the machine has none). */
    private static byte[] ymm(MultitraceThread thread, int i) throws DebugException {
        byte[] out = new byte[32];
        System.arraycopy(thread.fpArea(), XState.XMM0 + 16 * i, out, 0, 16);
        if (XState.Component.AVX.present()) {
            System.arraycopy(XState.read(thread.xstate(), XState.Component.AVX, 16 * i, 16), 0, out, 16, 16);
        }
        return out;
    }

    private static long littleEndian(byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    /** The 64 bytes of zmm{@code i}, from the parts {@link RegisterKind.Zmm} names. */
    private static byte[] zmm(MultitraceThread thread, int i) throws DebugException {
        if (i >= 16) {
            return XState.read(thread.xstate(), XState.Component.HI16_ZMM, 64 * (i - 16), 64);
        }
        byte[] out = new byte[64];
        System.arraycopy(ymm(thread, i), 0, out, 0, 32);
        System.arraycopy(XState.read(thread.xstate(), XState.Component.ZMM_HI256, 32 * i, 32), 0, out, 32, 32);
        return out;
    }

    @Override
    public boolean hasValueChanged() {
        GeneralRegisters before = frame.thread().previousRegisters();
        if (before == null) {
            return false;
        }
        try {
            GeneralRegisters now = frame.thread().registers();
            return switch (kind) {
                case RegisterKind.General g -> before.get(g.name()) != now.get(g.name());
                case RegisterKind.Flag f -> ((before.get("eflags") ^ now.get("eflags")) >>> f.bit() & 1) != 0;
                default -> false;
            };
        } catch (RuntimeException | DebugException e) {
            return false;
        }
    }

    @Override
    public boolean supportsValueModification() {
        return frame.thread().isSuspended();
    }

    @Override
    public boolean verifyValue(String expression) {
        try {
            Expression.parse(expression);
            return true;
        } catch (Expression.ExpressionException e) {
            return false;
        }
    }

    @Override
    public boolean verifyValue(IValue value) {
        return value instanceof MultitraceValue;
    }

    @Override
    public void setValue(String expression) throws DebugException {
        MultitraceThread thread = frame.thread();
        if (!thread.isSuspended()) {
            throw new DebugException(MultitraceDebug.error(name + " cannot be changed: the thread runs", null));
        }
        switch (kind) {
            case RegisterKind.FpArea a -> thread.writeFpArea(a.offset(), bytes(expression, a.length(), thread));
            case RegisterKind.Ymm y -> {
                byte[] b = bytes(expression, 32, thread);
                thread.writeFpArea(XState.XMM0 + 16 * y.index(), Arrays.copyOfRange(b, 0, 16));
                thread.writeXState(XState.Component.AVX, 16 * y.index(), Arrays.copyOfRange(b, 16, 32));
            }
            case RegisterKind.Zmm z -> {
                byte[] b = bytes(expression, 64, thread);
                int i = z.index();
                if (i >= 16) {
                    thread.writeXState(XState.Component.HI16_ZMM, 64 * (i - 16), b);
                } else {
                    thread.writeFpArea(XState.XMM0 + 16 * i, Arrays.copyOfRange(b, 0, 16));
                    thread.writeXState(XState.Component.AVX, 16 * i, Arrays.copyOfRange(b, 16, 32));
                    thread.writeXState(XState.Component.ZMM_HI256, 32 * i, Arrays.copyOfRange(b, 32, 64));
                }
            }
            case RegisterKind.XStateBytes x -> thread.writeXState(x.component(), x.offset(), bytes(expression, x.length(), thread));
            case RegisterKind.General g -> thread.writeRegister(g.name(), evaluate(expression, thread));
            case RegisterKind.Flag f -> {
                long flags = thread.registers().get("eflags");
                long v = evaluate(expression, thread);
                thread.writeRegister("eflags", (v & 1) != 0 ? flags | (1L << f.bit()) : flags & ~(1L << f.bit()));
            }
        }
        fireChangeEvent(DebugEvent.CONTENT);
    }

    private long evaluate(String expression, MultitraceThread thread) throws DebugException {
        try {
            return Expression.parse(expression).evaluate(thread.context());
        } catch (Expression.ExpressionException e) {
            throw new DebugException(MultitraceDebug.error("'" + expression + "': " + e.getMessage(), e));
        }
    }

    /**
     * The little-endian bytes of a new value for a register {@code size} bytes wide: a hex number
     * of any width ({@code 0x3ff0000000000000}), or an expression (its 64-bit value, zero-extended).
     */
    private byte[] bytes(String expression, int size, MultitraceThread thread) throws DebugException {
        String t = expression.strip().toLowerCase(java.util.Locale.ROOT);
        java.math.BigInteger v;
        if (t.matches("0x[0-9a-f]+")) {
            v = new java.math.BigInteger(t.substring(2), 16);
        } else {
            v = new java.math.BigInteger(Long.toUnsignedString(evaluate(expression, thread)));
        }
        if (v.bitLength() > size * 8) {
            throw new DebugException(MultitraceDebug.error(expression + " does not fit in " + name + " (" + size * 8 + " bits)", null));
        }
        byte[] big = v.toByteArray(); // big-endian, maybe with a sign byte
        byte[] out = new byte[size];
        for (int i = 0; i < size && i < big.length; i++) {
            out[i] = big[big.length - 1 - i];
        }
        return out;
    }

    @Override
    public void setValue(IValue value) throws DebugException {
        if (value instanceof MultitraceValue m) {
            setValue("0x" + Long.toHexString(m.longValue()));
        } else {
            throw new DebugException(MultitraceDebug.error("not a Multitrace value: " + value, null));
        }
    }
}
