package dev.multitrace.dsf;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.FrameInfo;
import dev.multitrace.session.FrameVariables;

import java.util.List;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The call stack of a suspended thread, as the session's unwinder walks it (CFI, frame pointers, signal
 * trampolines, inlined frames), and each frame's arguments and locals as gdb lists them (the session's
 * {@link FrameVariables}). DSF's Variables view asks {@link #getLocals} alone, so that list holds the
 * arguments first, then the locals (innermost block first); the view then evaluates each by its name
 * through {@link MultitraceExpressions}. The variables' contexts are {@link StackVariables}'.
 */
public final class MultitraceStack extends SessionService implements IStack, FrameVariablesSource {

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

    /** The frames of a suspended thread, or null with {@code rm} failed. */
    private List<FrameInfo> frames(ThreadContext t, RequestMonitor rm) {
        DebugSession s = backend.held(t, rm);
        if (s == null) {
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
            FrameInfo f = frames.get(ctx.getLevel());
            rm.setData(FrameData.of(f));
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

    // ------------------------------------------------------------------ source-level data

    /**
     * The source-level data of frame {@code level} of a suspended thread (0: innermost), or null with {@code rm}
     * failed. The session keeps it per stop (and makes it again after a write into the program), so asking
     * for it at each request costs a map lookup.
     */
    @Override
    public FrameVariables variables(ThreadContext t, int level, RequestMonitor rm) {
        DebugSession s = backend.held(t, rm);
        if (s == null) {
            return null;
        }
        try {
            return s.variables(t.tid(), level);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "no source-level data in frame " + level + ": " + e.getMessage()));
            rm.done();
            return null;
        }
    }

    @Override
    public void getArguments(IFrameDMContext ctx, DataRequestMonitor<IVariableDMContext[]> rm) {
        StackVariables.contexts(ctx, this, false, rm);
    }

    /** The arguments, then the locals: what DSF's Variables view shows for the frame. */
    @Override
    public void getLocals(IFrameDMContext ctx, DataRequestMonitor<IVariableDMContext[]> rm) {
        StackVariables.contexts(ctx, this, true, rm);
    }

    @Override
    public void getVariableData(IVariableDMContext ctx, DataRequestMonitor<IVariableDMData> rm) {
        StackVariables.data(ctx, this, rm);
    }
}
