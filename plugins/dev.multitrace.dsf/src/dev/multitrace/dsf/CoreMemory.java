package dev.multitrace.dsf;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.debug.service.IMemory;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.debug.core.model.MemoryByte;

/**
 * A core file's memory, read-only: its PT_LOAD segments, and the mapped files for what the core left out (as gdb
 * reads them). Bytes the core has nowhere are flagged unreadable, not an error.
 */
public final class CoreMemory extends CoreService implements IMemory {

    public CoreMemory(DsfSession session) {
        super(session, IMemory.class);
    }

    @Override
    public void getMemory(IMemoryDMContext ctx, IAddress address, long offset, int wordSize, int count,
            DataRequestMonitor<MemoryByte[]> rm) {
        if (wordSize < 1 || count < 0) {
            rm.setStatus(CoreDumpService.error(REQUEST_FAILED, "bad word size " + wordSize + " or count " + count));
            rm.done();
            return;
        }
        int length = Math.multiplyExact(wordSize, count);
        long at = address.getValue().longValue() + offset;
        byte[] bytes = new byte[length];
        int n;
        try {
            n = dump.dump().read(at, bytes, 0, length);
        } catch (RuntimeException e) {
            rm.setStatus(CoreDumpService.error(REQUEST_FAILED, e.getMessage()));
            rm.done();
            return;
        }
        rm.setData(MemoryBytes.of(bytes, n, length));
        rm.done();
    }

    @Override
    public void setMemory(IMemoryDMContext ctx, IAddress address, long offset, int wordSize, int count, byte[] buffer,
            RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly("have its memory written"));
        rm.done();
    }

    @Override
    public void fillMemory(IMemoryDMContext ctx, IAddress address, long offset, int wordSize, int count, byte[] pattern,
            RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly("have its memory written"));
        rm.done();
    }
}
