package dev.multitrace.debug.core.model;

import dev.multitrace.core.Examination;
import dev.multitrace.debug.core.ServiceCalls;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.model.IMemoryBlockExtension;
import org.eclipse.debug.core.model.IMemoryBlockRetrieval;
import org.eclipse.debug.core.model.MemoryByte;

/**
 * Process memory for the Memory view, read and written through a suspended thread's examination
 * (so the service's breakpoint bytes are hidden, and writes over them keep them planted).
 * Unreadable bytes come back flagged as such; while no thread is suspended every byte is
 * unreadable and the message says why.
 */
public final class MultitraceMemoryBlock extends MultitraceDebugElement implements IMemoryBlockExtension {

    private final MultitraceDebugTarget target;
    private final String expression;
    private volatile long base;
    private final long length;
    private final List<Object> connections = new CopyOnWriteArrayList<>();

    MultitraceMemoryBlock(MultitraceDebugTarget target, long base, long length, String expression) {
        super(target);
        this.target = target;
        this.base = base;
        this.length = length;
        this.expression = expression;
    }

    private Examination examination() throws DebugException {
        MultitraceThread t = target.suspendedThread();
        try {
            return ServiceCalls.call(target.session(), "Examine thread " + t.tid() + " for memory", () -> target.session().examine(t.tid()));
        } catch (RuntimeException e) {
            throw failure("memory", e);
        }
    }

    @Override
    public long getStartAddress() {
        return base;
    }

    @Override
    public long getLength() {
        return length;
    }

    @Override
    public byte[] getBytes() throws DebugException {
        try {
            Examination x = examination();
            return ServiceCalls.call(target.session(), "Read memory at 0x" + Long.toHexString(base), () -> x.read(base, (int) Math.min(length, Integer.MAX_VALUE)));
        } catch (RuntimeException e) {
            throw failure("cannot read memory at 0x" + Long.toHexString(base), e);
        }
    }

    @Override
    public boolean supportsValueModification() {
        return true;
    }

    @Override
    public void setValue(long offset, byte[] bytes) throws DebugException {
        try {
            Examination x = examination();
            ServiceCalls.run(target.session(), "Write memory at 0x" + Long.toHexString(base + offset), () -> x.write(base + offset, bytes));
        } catch (RuntimeException e) {
            throw failure("cannot write memory at 0x" + Long.toHexString(base + offset), e);
        }
        fireChangeEvent(DebugEvent.CONTENT);
    }

    @Override
    public String getExpression() {
        return expression;
    }

    @Override
    public BigInteger getBigBaseAddress() {
        return new BigInteger(Long.toUnsignedString(base));
    }

    @Override
    public BigInteger getMemoryBlockStartAddress() {
        return null; // the whole address space may be scrolled through
    }

    @Override
    public BigInteger getMemoryBlockEndAddress() {
        return null;
    }

    @Override
    public BigInteger getBigLength() {
        return BigInteger.valueOf(length);
    }

    @Override
    public int getAddressSize() {
        return 8;
    }

    @Override
    public boolean supportBaseAddressModification() {
        return true;
    }

    @Override
    public boolean supportsChangeManagement() {
        return false;
    }

    @Override
    public void setBaseAddress(BigInteger address) {
        base = address.longValue();
        fireChangeEvent(DebugEvent.STATE);
    }

    @Override
    public MemoryByte[] getBytesFromOffset(BigInteger unitOffset, long addressableUnits) throws DebugException {
        return getBytesFromAddress(getBigBaseAddress().add(unitOffset), addressableUnits);
    }

    @Override
    public MemoryByte[] getBytesFromAddress(BigInteger address, long units) throws DebugException {
        int n = (int) Math.min(units, 1 << 20);
        MemoryByte[] out = new MemoryByte[n];
        byte[] got;
        try {
            Examination x = examination();
            got = ServiceCalls.call(target.session(), "Read memory at 0x" + address.toString(16), () -> x.read(address.longValue(), n));
        } catch (DebugException | RuntimeException e) {
            got = new byte[0];
        }
        for (int i = 0; i < n; i++) {
            if (i < got.length) {
                out[i] = new MemoryByte(got[i], (byte) (MemoryByte.READABLE | MemoryByte.WRITABLE | MemoryByte.ENDIANESS_KNOWN));
            } else {
                out[i] = new MemoryByte((byte) 0, (byte) MemoryByte.ENDIANESS_KNOWN);
            }
        }
        return out;
    }

    @Override
    public void setValue(BigInteger offset, byte[] bytes) throws DebugException {
        setValue(offset.longValue(), bytes);
    }

    @Override
    public void connect(Object client) {
        connections.add(client);
    }

    @Override
    public void disconnect(Object client) {
        connections.remove(client);
    }

    @Override
    public Object[] getConnections() {
        return connections.toArray();
    }

    @Override
    public void dispose() {
        connections.clear();
    }

    @Override
    public IMemoryBlockRetrieval getMemoryBlockRetrieval() {
        return target;
    }

    @Override
    public int getAddressableSize() {
        return 1;
    }

    @Override
    public String toString() {
        return expression + " in " + target.getName();
    }
}
