package dev.multitrace.dsf;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.session.DebugSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses;
import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * The processes: the attach list (every process of /proc), attaching to one (every thread is held, reason
 * "attached"), detaching (the process runs on with no breakpoint byte left), terminating (SIGKILL), and
 * launching a program under the debugger. One process per DSF session: the first attach or launch binds it.
 */
public final class MultitraceProcesses extends SessionService implements IProcesses {

    /** List of String: the program's arguments for {@link #debugNewProcess}. */
    public static final String ARGUMENTS = "multitrace.arguments";
    /** Boolean, default true: the launched program stops at the first line of main (else it runs). */
    public static final String STOP_AT_MAIN = "multitrace.stopAtMain";
    /**
     * Boolean, default false: the launched program stays held before its first instruction (reason "before first
     * instruction"), {@link #STOP_AT_MAIN} aside, so that a launch can plant its breakpoints before it runs; the
     * launch then lets it go with {@link DebugSession#start}.
     */
    public static final String HOLD_AT_ENTRY = "multitrace.holdAtEntry";
    /** Map of String to String: the program's whole environment (absent: the IDE's own, as the service runs with). */
    public static final String ENVIRONMENT = "multitrace.environment";
    /** String: the program's working directory (absent: the IDE's own). */
    public static final String WORKING_DIRECTORY = "multitrace.workingDirectory";
    /**
     * Boolean, default false: the program's fork children are debugged too (gdb's {@code detach-on-fork off}), each a
     * process of this DSF session, held where its fork returns, with the session's breakpoints.
     */
    public static final String FOLLOW_FORKS = "multitrace.followForks";

    public MultitraceProcesses(DsfSession session) {
        super(session, false, IProcesses.class);
    }

    private record ThreadData(String name, String id, boolean attached) implements IThreadDMData {
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
            return attached;
        }
    }

    /** The command name of a process or thread ({@code /proc/PID/task/TID/comm}), empty if it is gone. */
    private static String comm(int pid, int tid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/comm"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether {@code pid} is debugged now: the launch's or the attach's process, or a fork child it followed. */
    private boolean debugged(int pid) {
        return backend.liveSessions().stream().anyMatch(s -> s.pid() == pid);
    }

    @Override
    public void getExecutionData(IThreadDMContext ctx, DataRequestMonitor<IThreadDMData> rm) {
        if (ctx instanceof ThreadContext t) {
            int pid = t.process().pid();
            rm.setData(new ThreadData(comm(pid, t.tid()), Integer.toString(t.tid()), debugged(pid)));
        } else if (ctx instanceof ProcessContext p) {
            rm.setData(new ThreadData(comm(p.pid(), p.pid()), Integer.toString(p.pid()), debugged(p.pid())));
        } else {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a process or thread: " + ctx));
        }
        rm.done();
    }

    @Override
    public void getDebuggingContext(IThreadDMContext ctx, DataRequestMonitor<IDMContext> rm) {
        rm.setData(ctx); // the process and thread contexts are the run control ones
        rm.done();
    }

    @Override
    public void getRunningProcesses(IDMContext ctx, DataRequestMonitor<IProcessDMContext[]> rm) {
        List<IProcessDMContext> out = new ArrayList<>();
        try (Stream<Path> proc = Files.list(Path.of("/proc"))) {
            proc.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .mapToInt(Integer::parseInt).sorted()
                    .forEach(pid -> out.add(new ProcessContext(getSession().getId(), pid)));
        } catch (IOException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "cannot list /proc: " + e.getMessage()));
            rm.done();
            return;
        }
        rm.setData(out.toArray(IProcessDMContext[]::new));
        rm.done();
    }

    @Override
    public void isDebuggerAttachSupported(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(!bound());
        rm.done();
    }

    /** Whether this DSF session debugs a process already (one per session). */
    private boolean bound() {
        DebugSession s = backend.debugSession();
        return s != null && !s.isEnded();
    }

    @Override
    public void attachDebuggerToProcess(IProcessDMContext ctx, DataRequestMonitor<IDMContext> rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        if (p == null) {
            rm.setStatus(DebugSessionService.error(INVALID_HANDLE, "not a process: " + ctx));
            rm.done();
            return;
        }
        if (bound()) {
            rm.setStatus(DebugSessionService.error(INVALID_STATE, "this session debugs process "
                    + backend.debugSession().pid() + " already"));
            rm.done();
            return;
        }
        DebugSession s;
        try {
            s = DebugSession.attach(p.pid());
        } catch (RuntimeException e) {
            // the message says why: another tracer (which), ptrace_scope, credentials, no such process
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "cannot attach to " + p.pid() + ": " + e.getMessage()));
            rm.done();
            return;
        }
        rm.setData(backend.bind(s));
        rm.done();
    }

    @Override
    public void canDetachDebuggerFromProcess(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        rm.setData(p != null && debugged(p.pid()));
        rm.done();
    }

    @Override
    public void detachDebuggerFromProcess(IDMContext ctx, RequestMonitor rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        DebugSession s = backend.live(p, rm);
        if (s == null) {
            return;
        }
        try {
            s.detach();
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
        }
        rm.done();
    }

    @Override
    public void isRunNewProcessSupported(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(false); // every program this service starts is debugged
        rm.done();
    }

    @Override
    public void runNewProcess(IDMContext ctx, String file, Map<String, Object> attributes,
            DataRequestMonitor<IProcessDMContext> rm) {
        rm.setStatus(DebugSessionService.error(NOT_SUPPORTED, "programs are started under the debugger only"));
        rm.done();
    }

    @Override
    public void isDebugNewProcessSupported(IDMContext ctx, DataRequestMonitor<Boolean> rm) {
        rm.setData(!bound());
        rm.done();
    }

    /**
     * Launches {@code file} with the {@link #ARGUMENTS}, {@link #ENVIRONMENT} and {@link #WORKING_DIRECTORY} under the
     * debugger: the session's launch path
     * (the tracing service forks and execs it traced), then it runs to main unless {@link #STOP_AT_MAIN} is false.
     */
    @Override
    public void debugNewProcess(IDMContext ctx, String file, Map<String, Object> attributes,
            DataRequestMonitor<IDMContext> rm) {
        if (bound()) {
            rm.setStatus(DebugSessionService.error(INVALID_STATE, "this session debugs process "
                    + backend.debugSession().pid() + " already"));
            rm.done();
            return;
        }
        List<String> command = new ArrayList<>();
        command.add(file);
        if (attributes.get(ARGUMENTS) instanceof List<?> args) {
            args.forEach(x -> command.add(String.valueOf(x)));
        }
        Map<String, String> environment = null;
        if (attributes.get(ENVIRONMENT) instanceof Map<?, ?> env) {
            environment = new java.util.HashMap<>();
            for (Map.Entry<?, ?> e : env.entrySet()) {
                environment.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        java.nio.file.Path directory = null;
        if (attributes.get(WORKING_DIRECTORY) instanceof String dir && !dir.isBlank()) {
            directory = java.nio.file.Path.of(dir);
            if (!java.nio.file.Files.isDirectory(directory)) {
                rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "cannot start " + file + ": the working directory "
                        + dir + " is not a directory"));
                rm.done();
                return;
            }
        }
        DebugSession s;
        try {
            // stdio piped: the process's streams are the session's (TracedProcess), for a console to show
            s = DebugSession.launch(new LaunchSpec(command, environment, directory, true), true);
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, "cannot start " + file + ": " + e.getMessage()));
            rm.done();
            return;
        }
        s.setFollowForks(attributes.get(FOLLOW_FORKS) instanceof Boolean follow && follow);
        ProcessContext p = backend.bind(s); // before start: the stop at main must reach the services
        boolean stopAtMain = !(attributes.get(STOP_AT_MAIN) instanceof Boolean b) || b;
        if (!(attributes.get(HOLD_AT_ENTRY) instanceof Boolean hold && hold)) {
            s.start(stopAtMain ? DebugSession.StopMode.MAIN : DebugSession.StopMode.NONE);
        }
        rm.setData(p);
        rm.done();
    }

    @Override
    public void getProcessesBeingDebugged(IDMContext ctx, DataRequestMonitor<IDMContext[]> rm) {
        rm.setData(backend.processes().stream().filter(p -> debugged(p.pid())).toArray(IDMContext[]::new));
        rm.done();
    }

    @Override
    public void canTerminate(IThreadDMContext ctx, DataRequestMonitor<Boolean> rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        rm.setData(p != null && debugged(p.pid()));
        rm.done();
    }

    /** Kills the debugged process (SIGKILL); its exit ends the session. */
    @Override
    public void terminate(IThreadDMContext ctx, RequestMonitor rm) {
        ProcessContext p = DMContexts.getAncestorOfType(ctx, ProcessContext.class);
        DebugSession s = backend.live(p, rm);
        if (s == null) {
            return;
        }
        try {
            s.terminate();
        } catch (RuntimeException e) {
            rm.setStatus(DebugSessionService.error(REQUEST_FAILED, e.getMessage()));
        }
        rm.done();
    }
}
