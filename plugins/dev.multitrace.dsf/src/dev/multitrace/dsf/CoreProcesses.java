package dev.multitrace.dsf;

import java.nio.file.Path;
import java.util.Map;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The process of a core file, for the views that name processes and threads (the Debug view): the dumped process,
 * named by its program (the core's executable) and pid, its threads by their ids. Nothing can be attached, detached,
 * started or terminated: those requests are refused with the reason.
 */
public final class CoreProcesses extends CoreService implements IProcesses {

    public CoreProcesses(DsfSession session) {
        super(session, IProcesses.class);
    }

    private record Data(String name, String id) implements IThreadDMData {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isDebuggerAttached() {
            return false; // a snapshot: no debugger holds the process, which is gone
        }
    }

    @Override
    public void getExecutionData(IThreadDMContext ctx, DataRequestMonitor<IThreadDMData> rm) {
        if (ctx instanceof ThreadContext t) {
            Integer tid = dump.thread(t, rm);
            if (tid == null) {
                return;
            }
            rm.setData(new Data("thread " + tid, Integer.toString(tid)));
        } else if (ctx instanceof ProcessContext p && p.equals(dump.process())) {
            String program = dump.dump().executable().map(Path::getFileName).map(Path::toString)
                    .orElse(dump.dump().file().getFileName().toString());
            rm.setData(new Data(program, Integer.toString(p.pid())));
        } else {
            rm.setStatus(error(INVALID_HANDLE, "not the core's process or one of its threads: " + ctx));
        }
        rm.done();
    }

    @Override
    public void getDebuggingContext(IThreadDMContext ctx, DataRequestMonitor<IDMContext> rm) {
        rm.setData(ctx); // the process and thread contexts are the run control ones
        rm.done();
    }

    @Override
    public void getProcessesBeingDebugged(IDMContext ctx, DataRequestMonitor<IDMContext[]> rm) {
        rm.setData(new IDMContext[] { dump.process() });
        rm.done();
    }

    @Override
    public void getRunningProcesses(IDMContext ctx, DataRequestMonitor<IProcessDMContext[]> rm) {
        rm.setData(new IProcessDMContext[0]); // none runs: the core's process is dead
        rm.done();
    }

    @Override
    public void isDebuggerAttachSupported(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        answer(false, rm);
    }

    @Override
    public void attachDebuggerToProcess(IProcessDMContext ctx, DataRequestMonitor<IDMContext> rm) {
        refuse("attach to a process", rm);
    }

    @Override
    public void canDetachDebuggerFromProcess(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        answer(false, rm);
    }

    @Override
    public void detachDebuggerFromProcess(IDMContext ctx, RequestMonitor rm) {
        refuse("detach", rm);
    }

    @Override
    public void isRunNewProcessSupported(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        answer(false, rm);
    }

    @Override
    public void runNewProcess(IDMContext ctx, String file, Map<String, Object> attributes, DataRequestMonitor<IProcessDMContext> rm) {
        refuse("start a program", rm);
    }

    @Override
    public void isDebugNewProcessSupported(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        answer(false, rm);
    }

    @Override
    public void debugNewProcess(IDMContext ctx, String file, Map<String, Object> attributes, DataRequestMonitor<IDMContext> rm) {
        refuse("start a program", rm);
    }

    @Override
    public void canTerminate(IThreadDMContext ctx, DataRequestMonitor<Boolean> rm) {
        answer(false, rm);
    }

    @Override
    public void terminate(IThreadDMContext ctx, RequestMonitor rm) {
        refuse("be terminated", rm);
    }

    private static void answer(boolean value, DataRequestMonitor<Boolean> rm) {
        rm.setData(value);
        rm.done();
    }

    private static void refuse(String what, RequestMonitor rm) {
        rm.setStatus(CoreDumpService.readOnly(what));
        rm.done();
    }
}
