package dev.multitrace.dsf;

import dev.multitrace.session.CoreDump;
import dev.multitrace.session.FrameInfo;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;

/**
 * The DSF session's link to a core file, the postmortem counterpart of {@link DebugSessionService}: the
 * session layer's {@link CoreDump} (threads, frames, registers, memory), with the process and thread contexts the
 * other core services answer with.
 */
public final class CoreDumpService extends MultitraceService {

    private final Path file;
    private CoreDump dump;
    private ProcessContext process;

    public CoreDumpService(DsfSession session, Path file) {
        super(session);
        this.file = file;
    }

    /** Opens the core; a core that cannot be read, or holds no thread, fails the session's start. */
    @Override
    protected void start() throws CoreException {
        try {
            dump = CoreDump.open(file);
        } catch (IllegalArgumentException e) {
            throw new CoreException(error(REQUEST_FAILED, e.getMessage()));
        }
        process = new ProcessContext(getSession().getId(), dump.pid());
    }

    /** The dumped process (its pid is the first thread's, the one the kernel or gcore wrote first). */
    public ProcessContext process() {
        return process;
    }

    public List<ThreadContext> threads() {
        return dump.threads().stream().map(tid -> new ThreadContext(process, tid)).toList();
    }

    public CoreDump dump() {
        return dump;
    }

    /** The thread id {@code t} names, or null with {@code rm} failed. */
    Integer thread(ThreadContext t, RequestMonitor rm) {
        if (t != null && t.process().equals(process) && dump.threads().contains(t.tid())) {
            return t.tid();
        }
        rm.setStatus(error(INVALID_HANDLE, "no thread " + (t == null ? "" : t.tid()) + " in " + file));
        rm.done();
        return null;
    }

    /** Why thread {@code t} stands where it does ({@code signal SIGSEGV}), for the Debug view's label; null if it is not the core's. */
    public String stateLabel(ThreadContext t) {
        return t != null && t.process().equals(process) && dump.threads().contains(t.tid()) ? dump.stateLabel(t.tid()) : null;
    }

    /** The thread's stack, innermost first (the dump walks it once). */
    List<FrameInfo> frames(int tid) {
        return dump.frames(tid);
    }

    /** What every core service answers to a request that would change or run the program. */
    static IStatus readOnly(String what) {
        return error(NOT_SUPPORTED, "a core file is a snapshot of a dead process: it cannot " + what);
    }
}
