package dev.multitrace.debug.core.model;

import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IValue;
import org.eclipse.debug.core.model.IVariable;

/**
 * A value shown in the Registers, Variables and Expressions views: an integer of {@code bits} bits,
 * shown in hex and decimal, or raw bytes (vector registers) in hex, or an error text.
 */
public final class MultitraceValue extends MultitraceDebugElement implements IValue {

    private final String type;
    private final String text;
    private final long value;

    private MultitraceValue(IDebugTarget target, String type, String text, long value) {
        super(target);
        this.type = type;
        this.text = text;
        this.value = value;
    }

    /** A 64-bit (or narrower) integer. */
    public static MultitraceValue ofLong(IDebugTarget target, String type, long v) {
        return new MultitraceValue(target, type, "0x" + Long.toHexString(v) + " (" + v + ")", v);
    }

    /** Raw little-endian bytes (an XMM, YMM or x87 register), shown most significant byte first. */
    public static MultitraceValue ofBytes(IDebugTarget target, String type, byte[] b) {
        StringBuilder s = new StringBuilder("0x");
        for (int i = b.length - 1; i >= 0; i--) {
            s.append(String.format("%02x", b[i] & 0xff));
        }
        long low = 0;
        for (int i = Math.min(7, b.length - 1); i >= 0; i--) {
            low = low << 8 | (b[i] & 0xff);
        }
        return new MultitraceValue(target, type, s.toString(), low);
    }

    /** A value that could not be had (thread running, memory unreadable): the text says why. */
    public static MultitraceValue error(IDebugTarget target, String why) {
        return new MultitraceValue(target, "error", "<" + why + ">", 0);
    }

    /** The value as an integer (the low 64 bits of a wider one). */
    public long longValue() {
        return value;
    }

    @Override
    public String getReferenceTypeName() {
        return type;
    }

    @Override
    public String getValueString() {
        return text;
    }

    @Override
    public boolean isAllocated() {
        return true;
    }

    @Override
    public IVariable[] getVariables() {
        return new IVariable[0];
    }

    @Override
    public boolean hasVariables() {
        return false;
    }
}
