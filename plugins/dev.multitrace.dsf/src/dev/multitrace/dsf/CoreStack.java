package dev.multitrace.dsf;

import dev.multitrace.session.FrameInfo;
import dev.multitrace.session.FrameVariables;

import java.util.List;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The stacks of a core file's threads, as the session's {@code CoreDump} walks them over the core's memory and
 * the symbols of its mapped files (frames with function, file and line), and each frame's arguments and locals
 * read from the core, as gdb shows them on a core (read-only).
 */
public final class CoreStack extends CoreService implements IStack, FrameVariablesSource {

    public CoreStack(DsfSession session) {
        super(session, IStack.class);
    }

    /** The stack of the thread {@code ctx} is in, or null with {@code rm} failed. */
    private List<FrameInfo> frames(IDMContext ctx, DataRequestMonitor<?> rm) {
        Integer t = dump.thread(DMContexts.getAncestorOfType(ctx, ThreadContext.class), rm);
        if (t == null) {
            return null;
        }
        try {
            return dump.frames(t);
        } catch (RuntimeException e) {
            rm.setStatus(CoreDumpService.error(REQUEST_FAILED, "cannot walk the stack: " + e.getMessage()));
            rm.done();
            return null;
        }
    }

    @Override
    public void getFrames(IDMContext ctx, DataRequestMonitor<IFrameDMContext[]> rm) {
        getFrames(ctx, 0, ALL_FRAMES, rm);
    }

    @Override
    public void getFrames(IDMContext ctx, int startIndex, int endIndex, DataRequestMonitor<IFrameDMContext[]> rm) {
        List<FrameInfo> frames = frames(ctx, rm);
        if (frames == null) {
            return;
        }
        ThreadContext t = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        int end = endIndex == ALL_FRAMES ? frames.size() - 1 : Math.min(endIndex, frames.size() - 1);
        int n = Math.max(0, end - startIndex + 1);
        IFrameDMContext[] out = new IFrameDMContext[n];
        for (int i = 0; i < n; i++) {
            out[i] = new MultitraceStack.FrameContext(t, startIndex + i);
        }
        rm.setData(out);
        rm.done();
    }

    @Override
    public void getTopFrame(IDMContext ctx, DataRequestMonitor<IFrameDMContext> rm) {
        List<FrameInfo> frames = frames(ctx, rm);
        if (frames == null) {
            return;
        }
        rm.setData(new MultitraceStack.FrameContext(DMContexts.getAncestorOfType(ctx, ThreadContext.class), 0));
        rm.done();
    }

    @Override
    public void getFrameData(IFrameDMContext ctx, DataRequestMonitor<IFrameDMData> rm) {
        List<FrameInfo> frames = frames(ctx, rm);
        if (frames == null) {
            return;
        }
        if (ctx.getLevel() < 0 || ctx.getLevel() >= frames.size()) {
            rm.setStatus(CoreDumpService.error(INVALID_HANDLE, "no frame " + ctx.getLevel()));
        } else {
            FrameInfo f = frames.get(ctx.getLevel());
            rm.setData(FrameData.of(f));
        }
        rm.done();
    }

    @Override
    public void getStackDepth(IDMContext ctx, int maxDepth, DataRequestMonitor<Integer> rm) {
        List<FrameInfo> frames = frames(ctx, rm);
        if (frames == null) {
            return;
        }
        rm.setData(maxDepth > 0 ? Math.min(maxDepth, frames.size()) : frames.size());
        rm.done();
    }

    /** The core's frame data, made once per frame (a core never changes); null with {@code rm} failed. */
    @Override
    public FrameVariables variables(ThreadContext t, int level, RequestMonitor rm) {
        Integer tid = dump.thread(t, rm);
        if (tid == null) {
            return null;
        }
        try {
            return dump.dump().variables(tid, level);
        } catch (RuntimeException e) {
            rm.setStatus(CoreDumpService.error(REQUEST_FAILED, "no source-level data in frame " + level + ": " + e.getMessage()));
            rm.done();
            return null;
        }
    }

    @Override
    public void getArguments(IFrameDMContext ctx, DataRequestMonitor<IVariableDMContext[]> rm) {
        StackVariables.contexts(ctx, this, false, rm);
    }

    /** The arguments, then the locals, as {@link MultitraceStack#getLocals}. */
    @Override
    public void getLocals(IFrameDMContext ctx, DataRequestMonitor<IVariableDMContext[]> rm) {
        StackVariables.contexts(ctx, this, true, rm);
    }

    @Override
    public void getVariableData(IVariableDMContext ctx, DataRequestMonitor<IVariableDMData> rm) {
        StackVariables.data(ctx, this, rm);
    }
}
