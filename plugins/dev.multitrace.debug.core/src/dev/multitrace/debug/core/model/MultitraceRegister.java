package dev.multitrace.debug.core.model;

import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.debug.core.MultitraceDebug;
import dev.multitrace.debug.core.session.Expression;

import java.util.Arrays;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IRegister;
import org.eclipse.debug.core.model.IRegisterGroup;
import org.eclipse.debug.core.model.IValue;

/**
 * One register of the innermost frame of a suspended thread. General registers and eflags bits
 * are editable: the new value is an expression of the condition language ({@code 0x10},
 * {@code $rax + 1}). FP/SSE/AVX registers are read-only (the service reads them, it does not write them).
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
            };
        } catch (RuntimeException | DebugException e) {
            return MultitraceValue.error(getDebugTarget(), MultitraceDebug.describe(e));
        }
    }

    /** XMM from fxsave; the high 128 bits from XSAVE's YMM_Hi128 (offset 576), zero where its state bit is clear. */
    private static byte[] ymm(MultitraceThread thread, int i) throws DebugException {
        byte[] out = new byte[32];
        System.arraycopy(thread.fpArea(), 160 + 16 * i, out, 0, 16);
        byte[] x = thread.xstate();
        boolean avxInUse = x.length >= 576 + 256 && (x[512] & 0x4) != 0; // XSTATE_BV bit 2: AVX state
        if (avxInUse) {
            System.arraycopy(x, 576 + 16 * i, out, 16, 16);
        }
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
        return !(kind instanceof RegisterKind.FpArea) && !(kind instanceof RegisterKind.Ymm) && frame.thread().isSuspended();
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
        if (!supportsValueModification()) {
            throw new DebugException(MultitraceDebug.error(name + " cannot be changed here"
                    + (frame.thread().isSuspended() ? " (FP/SSE/AVX registers are read-only)" : ": the thread runs"), null));
        }
        MultitraceThread thread = frame.thread();
        long v;
        try {
            v = Expression.parse(expression).evaluate(thread.context());
        } catch (Expression.ExpressionException e) {
            throw new DebugException(MultitraceDebug.error("'" + expression + "': " + e.getMessage(), e));
        }
        String reg = kind instanceof RegisterKind.General g ? g.name() : "eflags";
        if (kind instanceof RegisterKind.Flag f) {
            long flags = thread.registers().get("eflags");
            v = (v & 1) != 0 ? flags | (1L << f.bit()) : flags & ~(1L << f.bit());
        }
        thread.writeRegister(reg, v);
        fireChangeEvent(DebugEvent.CONTENT);
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
