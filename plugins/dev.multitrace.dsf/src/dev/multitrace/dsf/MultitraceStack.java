package dev.multitrace.dsf;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FrameInfo;
import dev.multitrace.session.SourcePosition;

import java.math.BigInteger;
import java.util.List;

import org.eclipse.cdt.core.IAddress;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.utils.Addr64;

/**
 * The call stack of a suspended thread, as the session's unwinder walks it (CFI, frame pointers, signal
 * trampolines, inlined frames). Arguments and locals are the source-level data's, not here yet: both lists
 * are empty.
 */
public final class MultitraceStack extends SessionService implements IStack {

    public MultitraceStack(DsfSession session) {
        super(session, false, IStack.class);
    }

    /** One frame of a thread's stack; level 0 is the innermost. */
    public static final class FrameContext extends AbstractDMContext implements IFrameDMContext {
        private final int level;

        FrameContext(ThreadContext thread, int level) {
            super(thread.getSessionId(), new IDMContext[] { thread });
            this.level = level;
        }

        @Override
        public int getLevel() {
            return level;
        }

        public ThreadContext thread() {
            return (ThreadContext) getParents()[0];
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((FrameContext) o).level == level;
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ level;
        }

        @Override
        public String toString() {
            return baseToString() + ".frame[" + level + "]";
        }
    }

    private record FrameData(FrameInfo frame) implements IFrameDMData {
        @Override
        public IAddress getAddress() {
            return new Addr64(new BigInteger(Long.toUnsignedString(frame.pc())));
        }

        @Override
        public String getFile() {
            return frame.source().map(SourcePosition::file).orElse("");
        }

        @Override
        public String getFunction() {
            return frame.signalFrame() ? "<signal handler called>" : frame.functionName();
        }

        @Override
        public int getLine() {
            return frame.source().map(SourcePosition::line).orElse(-1);
        }

        @Override
        public int getColumn() {
            return 0;
        }

        @Override
        public String getModule() {
            return "";
        }
    }

    /** The frames of a suspended thread, or null with {@code rm} failed. */
    private List<FrameInfo> frames(ThreadContext t, RequestMonitor rm) {
        DebugSession s = backend.live(t.process(), rm);
        if (s == null) {
            return null;
        }
        if (!s.isHeld(t.tid())) {
            rm.setStatus(DebugSessionService.error(INVALID_STATE, "thread " + t.tid() + " is running"));
            rm.done();
            return null;
        }
        try {
            return s.frames(t.tid());
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "cannot walk the stack: " + e.getMessage()));
            rm.done();
            return null;
        }
    }

    private static ThreadContext threadOf(IDMContext ctx, RequestMonitor rm) {
        ThreadContext t = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        if (t == null) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a thread's context: " + ctx));
            rm.done();
        }
        return t;
    }

    @Override
    public void getFrameData(IFrameDMContext ctx, DataRequestMonitor<IFrameDMData> rm) {
        ThreadContext t = threadOf(ctx, rm);
        if (t == null) {
            return;
        }
        List<FrameInfo> frames = frames(t, rm);
        if (frames == null) {
            return;
        }
        if (ctx.getLevel() >= frames.size()) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "no frame " + ctx.getLevel()));
        } else {
            rm.setData(new FrameData(frames.get(ctx.getLevel())));
        }
        rm.done();
    }

    @Override
    public void getFrames(IDMContext ctx, DataRequestMonitor<IFrameDMContext[]> rm) {
        getFrames(ctx, 0, ALL_FRAMES, rm);
    }

    @Override
    public void getFrames(IDMContext ctx, int startIndex, int endIndex, DataRequestMonitor<IFrameDMContext[]> rm) {
        ThreadContext t = threadOf(ctx, rm);
        if (t == null) {
            return;
        }
        List<FrameInfo> frames = frames(t, rm);
        if (frames == null) {
            return;
        }
        int end = endIndex == ALL_FRAMES ? frames.size() - 1 : Math.min(endIndex, frames.size() - 1);
        int n = Math.max(0, end - startIndex + 1);
        IFrameDMContext[] out = new IFrameDMContext[n];
        for (int i = 0; i < n; i++) {
            out[i] = new FrameContext(t, startIndex + i);
        }
        rm.setData(out);
        rm.done();
    }

    @Override
    public void getTopFrame(IDMContext ctx, DataRequestMonitor<IFrameDMContext> rm) {
        ThreadContext t = threadOf(ctx, rm);
        if (t == null) {
            return;
        }
        if (frames(t, rm) == null) {
            return;
        }
        rm.setData(new FrameContext(t, 0));
        rm.done();
    }

    @Override
    public void getStackDepth(IDMContext ctx, int maxDepth, DataRequestMonitor<Integer> rm) {
        ThreadContext t = threadOf(ctx, rm);
        if (t == null) {
            return;
        }
        List<FrameInfo> frames = frames(t, rm);
        if (frames == null) {
            return;
        }
        rm.setData(maxDepth > 0 ? Math.min(maxDepth, frames.size()) : frames.size());
        rm.done();
    }

    @Override
    public void getArguments(IFrameDMContext ctx, DataRequestMonitor<IVariableDMContext[]> rm) {
        rm.setData(new IVariableDMContext[0]); // source-level variables: not wired to DSF yet
        rm.done();
    }

    @Override
    public void getLocals(IFrameDMContext ctx, DataRequestMonitor<IVariableDMContext[]> rm) {
        rm.setData(new IVariableDMContext[0]); // source-level variables: not wired to DSF yet
        rm.done();
    }

    @Override
    public void getVariableData(IVariableDMContext ctx, DataRequestMonitor<IVariableDMData> rm) {
        rm.setStatus(DebugSessionService.error(NOT_SUPPORTED, "source-level variables are not wired to DSF yet"));
        rm.done();
    }
}
