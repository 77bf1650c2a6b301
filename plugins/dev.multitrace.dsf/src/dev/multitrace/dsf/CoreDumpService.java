package dev.multitrace.dsf;

import dev.multitrace.symbols.CoreFile;
import dev.multitrace.symbols.CoreFile.CoreThread;
import dev.multitrace.symbols.ProcessSymbols;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.unwind.Unwinder;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;

/**
 * The DSF session's link to a core file, the postmortem counterpart of {@link DebugSessionService}: the symbol
 * layer's {@link CoreFile} (threads, registers, memory) and the symbols of the files it maps, with the process
 * and thread contexts the other core services answer with. A core never changes, so each thread's stack is
 * walked once.
 */
public final class CoreDumpService extends MultitraceService {

    /** How deep a core's stack is walked (a corrupt stack must not make a view wait). */
    private static final int MAX_FRAMES = 256;

    private final Path file;
    private CoreFile core;
    private ProcessSymbols symbols;
    private ProcessContext process;
    private final Map<Integer, List<Frame>> frames = new HashMap<>();

    public CoreDumpService(DsfSession session, Path file) {
        super(session);
        this.file = file;
    }

    /** Opens the core; a core that cannot be read, or holds no thread, fails the session's start. */
    @Override
    protected void start() throws CoreException {
        try {
            core = CoreFile.open(file);
        } catch (RuntimeException e) {
            throw new CoreException(error(REQUEST_FAILED, "cannot read core file " + file + ": " + e.getMessage()));
        }
        if (core.threads().isEmpty()) {
            throw new CoreException(error(REQUEST_FAILED, file + " holds no thread (no NT_PRSTATUS note)"));
        }
        symbols = new ProcessSymbols(core.loadMap());
        process = new ProcessContext(getSession().getId(), core.threads().get(0).tid());
    }

    /** The dumped process (its pid is the first thread's, the one the kernel or gcore wrote first). */
    public ProcessContext process() {
        return process;
    }

    public List<ThreadContext> threads() {
        return core.threads().stream().map(t -> new ThreadContext(process, t.tid())).toList();
    }

    public CoreFile core() {
        return core;
    }

    /** The thread {@code t} names, or null with {@code rm} failed. */
    CoreThread thread(ThreadContext t, RequestMonitor rm) {
        if (t != null && t.process().equals(process)) {
            for (CoreThread c : core.threads()) {
                if (c.tid() == t.tid()) {
                    return c;
                }
            }
        }
        rm.setStatus(error(INVALID_HANDLE, "no thread " + (t == null ? "" : t.tid()) + " in " + file));
        rm.done();
        return null;
    }

    /** The thread's stack, innermost first, walked at the first ask. */
    List<Frame> frames(CoreThread t) {
        return frames.computeIfAbsent(t.tid(), tid -> new Unwinder(symbols).unwind(t.registers(), core, MAX_FRAMES));
    }

    /** What every core service answers to a request that would change or run the program. */
    static IStatus readOnly(String what) {
        return error(NOT_SUPPORTED, "a core file is a snapshot of a dead process: it cannot " + what);
    }
}
