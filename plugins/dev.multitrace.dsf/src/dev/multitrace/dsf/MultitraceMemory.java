package dev.multitrace.dsf;

import dev.multitrace.core.Examination;
import dev.multitrace.session.DebugSession;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMEvent;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IMemory;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.debug.core.model.MemoryByte;
import org.eclipse.cdt.utils.Addr64;

/**
 * The memory of the debugged process, read and written through a thread the debugger holds (the tracing
 * service's examination: reads show the program's own bytes, never a breakpoint's int3; writes under a
 * breakpoint keep it planted). Bytes past the end of a mapping come back unreadable, not as an error.
 */
public final class MultitraceMemory extends SessionService implements IMemory {

    public MultitraceMemory(DsfSession session) {
        super(session, false, IMemory.class);
    }

    public static final class MemoryChangedEvent extends AbstractDMEvent<IMemoryDMContext> implements IMemoryChangedEvent {
        private final IAddress[] addresses;

        MemoryChangedEvent(IMemoryDMContext ctx, IAddress[] addresses) {
            super(ctx);
            this.addresses = addresses;
        }

        @Override
        public IAddress[] getAddresses() {
            return addresses.clone();
        }
    }

    /**
     * An examination of a held thread of the context's process: the context's own thread if it names one
     * and it is held, else any held thread. Null with {@code rm} failed when the process runs.
     */
    private Examination examination(IMemoryDMContext ctx, RequestMonitor rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        DebugSession s = backend.live(p, rm);
        if (s == null) {
            return null;
        }
        ThreadContext own = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        try {
            if (own != null && s.isHeld(own.tid())) {
                return s.examine(own.tid());
            }
            for (int tid : s.threads()) {
                if (s.isHeld(tid)) {
                    return s.examine(tid);
                }
            }
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return null;
        }
        rm.setStatus(DebugSessionService.error(INVALID_STATE, "process " + s.pid() + " is running: suspend it to see its memory"));
        rm.done();
        return null;
    }

    private static long start(IAddress address, long offset) {
        return address.getValue().longValue() + offset;
    }

    @Override
    public void getMemory(IMemoryDMContext ctx, IAddress address, long offset, int wordSize, int count,
            DataRequestMonitor<MemoryByte[]> rm) {
        if (wordSize < 1 || count < 0) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "bad word size " + wordSize + " or count " + count));
            rm.done();
            return;
        }
        Examination x = examination(ctx, rm);
        if (x == null) {
            return;
        }
        int length = Math.multiplyExact(wordSize, count);
        long at = start(address, offset);
        byte[] bytes;
        try {
            bytes = x.read(at, length);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        rm.setData(MemoryBytes.of(bytes, bytes.length, length));
        rm.done();
    }

    @Override
    public void setMemory(IMemoryDMContext ctx, IAddress address, long offset, int wordSize, int count, byte[] buffer,
            RequestMonitor rm) {
        int length = wordSize * count;
        if (wordSize < 1 || count < 0 || buffer.length < length) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED,
                    "need " + length + " bytes for " + count + " words of " + wordSize + ", have " + buffer.length));
            rm.done();
            return;
        }
        write(ctx, start(address, offset), java.util.Arrays.copyOf(buffer, length), rm);
    }

    @Override
    public void fillMemory(IMemoryDMContext ctx, IAddress address, long offset, int wordSize, int count, byte[] pattern,
            RequestMonitor rm) {
        if (pattern.length == 0 || count < 0) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "empty pattern"));
            rm.done();
            return;
        }
        // As gdb's MI does: the pattern repeated count times (wordSize only says how the pattern is read).
        byte[] data = new byte[pattern.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(pattern, 0, data, i * pattern.length, pattern.length);
        }
        write(ctx, start(address, offset), data, rm);
    }

    private void write(IMemoryDMContext ctx, long at, byte[] data, RequestMonitor rm) {
        Examination x = examination(ctx, rm);
        if (x == null) {
            return;
        }
        try {
            x.write(at, data);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        IMemoryDMContext mem = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        IAddress[] changed = new IAddress[data.length];
        for (int i = 0; i < data.length; i++) {
            changed[i] = new Addr64(java.math.BigInteger.valueOf(at).add(java.math.BigInteger.valueOf(i)));
        }
        getSession().dispatchEvent(new MemoryChangedEvent(mem, changed), getProperties());
        rm.done();
    }
}
