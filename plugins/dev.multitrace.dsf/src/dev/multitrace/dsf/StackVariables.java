package dev.multitrace.dsf;

import dev.multitrace.session.FrameVariables;
import dev.multitrace.session.SourceValue;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.IDsfStatusConstants;
import org.eclipse.cdt.dsf.datamodel.AbstractDMContext;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMData;

/**
 * A frame's arguments and locals as {@code IStack} lists them, from its source-level data (a
 * {@link FrameVariablesSource}): the same contexts and values for a live thread and a core's. gdb's lists,
 * arguments first, then the locals (innermost block first).
 */
final class StackVariables {

    private StackVariables() {
    }

    /** An argument or a local of a frame, by its place in gdb's list (names can repeat in nested blocks). */
    public static final class VariableContext extends AbstractDMContext implements IVariableDMContext {
        private final String name;
        private final boolean argument;
        private final int index;

        VariableContext(MultitraceStack.FrameContext frame, String name, boolean argument, int index) {
            super(frame.getSessionId(), new IDMContext[] { frame });
            this.name = name;
            this.argument = argument;
            this.index = index;
        }

        public String name() {
            return name;
        }

        public boolean isArgument() {
            return argument;
        }

        MultitraceStack.FrameContext frame() {
            return (MultitraceStack.FrameContext) getParents()[0];
        }

        @Override
        public boolean equals(Object o) {
            return baseEquals(o) && ((VariableContext) o).argument == argument && ((VariableContext) o).index == index
                    && ((VariableContext) o).name.equals(name);
        }

        @Override
        public int hashCode() {
            return baseHashCode() ^ name.hashCode() ^ index;
        }

        @Override
        public String toString() {
            return baseToString() + (argument ? ".argument[" : ".local[") + name + "]";
        }
    }

    private record VariableData(String name, String value) implements IVariableDMData {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getValue() {
            return value;
        }
    }

    /** The frame's arguments, and with {@code locals} its locals after them. */
    static void contexts(IFrameDMContext ctx, FrameVariablesSource source, boolean locals,
            DataRequestMonitor<IVariableDMContext[]> rm) {
        ThreadContext t = DMContexts.getAncestorOfType(ctx, ThreadContext.class);
        if (t == null) {
            fail(rm, IDsfStatusConstants.INVALID_HANDLE, "not a thread's context: " + ctx);
            return;
        }
        MultitraceStack.FrameContext frame = new MultitraceStack.FrameContext(t, ctx.getLevel());
        FrameVariables v = source.variables(t, ctx.getLevel(), rm);
        if (v == null) {
            return;
        }
        List<IVariableDMContext> out = new ArrayList<>();
        try {
            List<SourceValue> args = v.arguments();
            for (int i = 0; i < args.size(); i++) {
                out.add(new VariableContext(frame, args.get(i).name(), true, i));
            }
            if (locals) {
                List<SourceValue> list = v.locals();
                for (int i = 0; i < list.size(); i++) {
                    out.add(new VariableContext(frame, list.get(i).name(), false, i));
                }
            }
        } catch (RuntimeException e) {
            fail(rm, IDsfStatusConstants.REQUEST_FAILED, "cannot list the variables: " + e.getMessage());
            return;
        }
        rm.setData(out.toArray(IVariableDMContext[]::new));
        rm.done();
    }

    /** A variable's name and value text (gdb's, as in {@code info locals}). */
    static void data(IVariableDMContext ctx, FrameVariablesSource source, DataRequestMonitor<IVariableDMData> rm) {
        if (!(ctx instanceof VariableContext var)) {
            fail(rm, IDsfStatusConstants.INVALID_HANDLE, "not a variable of this session: " + ctx);
            return;
        }
        MultitraceStack.FrameContext frame = var.frame();
        FrameVariables v = source.variables(frame.thread(), frame.getLevel(), rm);
        if (v == null) {
            return;
        }
        try {
            List<SourceValue> list = var.isArgument() ? v.arguments() : v.locals();
            if (var.index >= list.size() || !list.get(var.index).name().equals(var.name())) {
                rm.setStatus(MultitraceService.error(IDsfStatusConstants.INVALID_HANDLE, "the frame has no " + var.name() + " any more"));
            } else {
                rm.setData(new VariableData(var.name(), list.get(var.index).text()));
            }
        } catch (RuntimeException e) {
            rm.setStatus(MultitraceService.error(IDsfStatusConstants.REQUEST_FAILED, var.name() + ": " + e.getMessage()));
        }
        rm.done();
    }

    private static void fail(DataRequestMonitor<?> rm, int code, String message) {
        rm.setStatus(MultitraceService.error(code, message));
        rm.done();
    }
}
