package dev.multitrace.dsf.ui;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.debug.core.model.LaunchEngines;
import dev.multitrace.debug.core.model.TraceeProcess;
import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.MultitraceBreakpoints;
import dev.multitrace.dsf.MultitraceProcesses;
import dev.multitrace.dsf.MultitraceServices;
import dev.multitrace.dsf.ProcessContext;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IProcessDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IThreadDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ISourceLocator;

/**
 * A launch of the Multitrace debugger from CDT: its DSF session (own executor) with the Multitrace services,
 * CDT's breakpoints followed by the mediator, and the one process it debugs. It ends when the process
 * exits, or on terminate (the program is killed; an attached one is detached and runs on).
 */
public final class MultitraceLaunch extends SessionLaunch {

    /** Null before the launch and once its services stopped: an ended launch the platform keeps holds no session. */
    private volatile MultitraceServices services;
    private volatile TraceeProcess program;
    /** The Engines view's engines of each process of the launch, by pid (see {@link #engines}). */
    private final Map<Integer, LaunchEngines> engines = new java.util.concurrent.ConcurrentHashMap<>();

    public MultitraceLaunch(ILaunchConfiguration configuration, String mode, ISourceLocator locator) {
        super(configuration, mode, locator, "executor");
    }

    /** Starts the services; the launch listens for its process's end. */
    void startServices() throws CoreException {
        call((DataRequestMonitor<Object> rm) -> {
            services = new MultitraceServices(session, true);
            session.addServiceEventListener(this, null);
            services.initialize(rm);
        });
    }

    /**
     * Starts {@code program} held at its first instruction, plants CDT's breakpoints, then lets it run to the
     * stop symbol (or on): breakpoints before main are planted in time. Its standard streams are the console of
     * the launch's process.
     */
    void debug(String program, List<String> arguments, Map<String, String> environment, String workingDirectory,
            DebuggerSettings settings) throws CoreException {
        MultitraceProcesses processes = service(MultitraceProcesses.class);
        Map<String, Object> how = new java.util.HashMap<>(Map.of(MultitraceProcesses.ARGUMENTS, arguments, MultitraceProcesses.HOLD_AT_ENTRY, true));
        if (environment != null) {
            how.put(MultitraceProcesses.ENVIRONMENT, environment);
        }
        if (workingDirectory != null) {
            how.put(MultitraceProcesses.WORKING_DIRECTORY, workingDirectory);
        }
        how.put(MultitraceProcesses.FOLLOW_FORKS, settings.followForks());
        ProcessContext process = (ProcessContext) this.<IDMContext>call(rm -> processes.debugNewProcess(null, program, how, rm));
        DebugSession s = debugSession();
        String label = Path.of(program).getFileName() + " (pid " + s.pid() + ")";
        this.program = new TraceeProcess(this, label, s.process().stdout(), s.process().stderr(), s.process().stdin(),
                s::terminate);
        prepare(s, label, settings);
        BreakpointsMediator2 mediator = service(BreakpointsMediator2.class);
        call((DataRequestMonitor<Object> rm) -> mediator.startTrackingBreakpoints(process, rm));
        boolean atMain = settings.stopOnStartup() && settings.stopSymbol().equals(DebuggerSettings.DEFAULT_STOP_SYMBOL);
        if (settings.stopOnStartup() && !atMain) {
            // another function than main: a temporary breakpoint. As CDT's gdb launch does, a name the program does
            // not have (before its libraries load: the executable's own functions) is an error, not a silent run.
            if (s.symbolAddress(settings.stopSymbol()).isEmpty()) {
                throw new CoreException(SessionAdapters.error("stop on startup at '" + settings.stopSymbol()
                        + "': " + Path.of(program).getFileName() + " has no such function", null));
            }
            MultitraceBreakpoints breakpoints = service(MultitraceBreakpoints.class);
            call((DataRequestMonitor<Object> rm) -> breakpoints.insertBreakpoint(process,
                    Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.FUNCTION_KIND,
                            MultitraceBreakpoints.FUNCTION, settings.stopSymbol(), MultitraceBreakpoints.TEMPORARY, true),
                    new DataRequestMonitor<>(executor, rm)));
        }
        call((DataRequestMonitor<Object> rm) -> {
            s.start(atMain ? DebugSession.StopMode.MAIN : DebugSession.StopMode.NONE);
            rm.done();
        });
        fireChanged();
    }

    /**
     * Attaches to the running process {@code pid} (every thread held), plants CDT's breakpoints, and lets it run on
     * unless the settings keep it suspended. Refusals say why: no such process, this IDE itself, another tracer,
     * ptrace_scope, credentials.
     */
    void attach(int pid, DebuggerSettings settings) throws CoreException {
        if (pid <= 0) {
            throw new CoreException(SessionAdapters.error("no process chosen to attach to (pid " + pid + ")", null));
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new CoreException(SessionAdapters.error("pid " + pid + " is this IDE itself: it cannot debug itself", null));
        }
        if (!Files.isDirectory(Path.of("/proc/" + pid))) {
            throw new CoreException(SessionAdapters.error("cannot attach to " + pid + ": no such process (it ended, or never was)", null));
        }
        MultitraceProcesses processes = service(MultitraceProcesses.class);
        ProcessContext process = (ProcessContext) this.<IDMContext>call(
                rm -> processes.attachDebuggerToProcess(new ProcessContext(session.getId(), pid), rm));
        DebugSession s = debugSession();
        s.setFollowForks(settings.followForks()); // held since the attach: no fork can have come yet
        String label = processLabel(pid);
        this.program = new TraceeProcess(this, label, null, null, null, () -> {
            try {
                terminate(); // an attached program is let go, not killed
            } catch (DebugException e) {
                Platform.getLog(MultitraceLaunch.class).log(e.getStatus());
            }
        });
        try {
            prepare(s, label, settings);
            BreakpointsMediator2 mediator = service(BreakpointsMediator2.class);
            call((DataRequestMonitor<Object> rm) -> mediator.startTrackingBreakpoints(process, rm));
            if (!settings.stopOnStartup()) {
                call((DataRequestMonitor<Object> rm) -> {
                    s.resumeAll();
                    rm.done();
                });
            }
        } catch (CoreException | RuntimeException e) {
            terminate(); // detaches: the program runs on with no breakpoint byte left
            throw e;
        }
        fireChanged();
    }

    /**
     * What launch and attach share: non-stop, the process's end shown on its console, and the extra engines (each
     * with its log as a console of the launch).
     */
    private void prepare(DebugSession s, String label, DebuggerSettings settings) throws CoreException {
        TraceeProcess console = program;
        call((DataRequestMonitor<Object> rm) -> {
            s.setNonStop(settings.nonStop());
            rm.done();
        });
        s.addListener(new SessionListener() {
            @Override
            public void sessionEnded(ExitStatus status) {
                if (status == null) {
                    console.detached(s.pid()); // let go: it runs on
                } else {
                    console.ended(status);
                }
            }
        });
        LaunchEngines engines = this.engines.computeIfAbsent(s.pid(), pid -> new LaunchEngines(this, s, label));
        if (settings.syscallTracer()) {
            engines.attachSyscallTracer();
        }
        if (settings.gdbStubPort() > 0) {
            engines.attachGdbStub(settings.gdbStubPort());
        }
    }

    /** A process of the attach list. */
    record Candidate(int pid, String name) {
    }

    /** The processes one can attach to, from the launch's {@code IProcesses} service, this IDE's own left out. */
    List<Candidate> attachList() throws CoreException {
        MultitraceProcesses processes = service(MultitraceProcesses.class);
        IProcessDMContext[] all = call((DataRequestMonitor<IProcessDMContext[]> rm) -> processes.getRunningProcesses(null, rm));
        long self = ProcessHandle.current().pid();
        List<Candidate> out = new ArrayList<>();
        for (IProcessDMContext p : all) {
            int pid = ((ProcessContext) p).pid();
            if (pid == self) {
                continue;
            }
            IThreadDMData data = call((DataRequestMonitor<IThreadDMData> rm) -> processes.getExecutionData(p, rm));
            if (!data.getName().isEmpty()) { // empty: it ended meanwhile
                out.add(new Candidate(pid, data.getName()));
            }
        }
        return out;
    }

    /** {@code spin (pid 4242)}: the command name of /proc, or the pid alone. */
    private static String processLabel(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip() + " (pid " + pid + ")";
        } catch (IOException e) {
            return "pid " + pid;
        }
    }

    /** The engines a user attaches to process {@code s} from the Engines view, each with a console of this launch. */
    public LaunchEngines engines(DebugSession s) {
        if (services == null) { // ended (or not started): kept by nobody, so that the ended launch keeps no session
            return new LaunchEngines(this, s, processLabel(s.pid()));
        }
        return engines.computeIfAbsent(s.pid(), pid -> new LaunchEngines(this, s, processLabel(pid)));
    }

    /** The process the launch debugs, as the Console and Debug views see it; null before a launch or attach. */
    public TraceeProcess program() {
        return program;
    }

    /** The headless session the DSF services adapt (null before a launch or attach). */
    DebugSession debugSession() throws CoreException {
        DebugSessionService backend = service(DebugSessionService.class);
        return this.<DebugSession>call(rm -> {
            rm.setData(backend.debugSession());
            rm.done();
        });
    }

    private <S> S service(Class<S> type) throws CoreException {
        MultitraceServices s = services;
        if (s == null) {
            throw new CoreException(SessionAdapters.error("the launch has ended", null));
        }
        return s.services().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** The last process is gone (the launch's, and the fork children it followed): the session ends with it. */
    @DsfServiceEventHandler
    public void eventDispatched(IExitedDMEvent e) {
        if (e.getDMContext() instanceof ProcessContext && liveSessions().isEmpty()) {
            new Thread(this::endSession, "multitrace-launch-end").start();
        }
    }

    /** The processes debugged now (executor thread): none once the services are gone. */
    private List<DebugSession> liveSessions() {
        try {
            return services == null ? List.of() : service(DebugSessionService.class).liveSessions();
        } catch (CoreException ended) {
            return List.of();
        }
    }

    /** Whether the launch attached to a running process (which a disconnect lets go). */
    private boolean attached() {
        try {
            DebugSession s = debugSession(); // a CoreException before the services or after them
            return s != null && s.isAttached();
        } catch (CoreException e) {
            return false;
        }
    }

    @Override
    public boolean canDisconnect() {
        return !isTerminated() && attached();
    }

    @Override
    public boolean isDisconnected() {
        return isTerminated();
    }

    /** Detaches from the attached process: it runs on, with no breakpoint byte left and no tracer. */
    @Override
    public void disconnect() throws DebugException {
        terminate(); // for an attached process terminate is a detach
    }

    @Override
    public void terminate() throws DebugException {
        if (isTerminated()) {
            return;
        }
        try {
            DebugSessionService backend = services == null ? null : service(DebugSessionService.class);
            if (backend != null) {
                call((DataRequestMonitor<Object> rm) -> {
                    for (DebugSession s : backend.liveSessions()) { // the fork children it followed too
                        if (s.isAttached()) {
                            s.detach();
                        } else {
                            s.terminate();
                        }
                    }
                    rm.done();
                });
            }
        } catch (CoreException e) {
            throw new DebugException(e.getStatus());
        } finally {
            endSession();
        }
    }

    @Override
    protected void stopServices(RequestMonitor rm) {
        engines.clear(); // each holds its debug session: an ended launch the views keep must not keep them
        MultitraceServices s = services;
        services = null;
        if (s == null) {
            rm.done();
            return;
        }
        session.removeServiceEventListener(this);
        s.shutdown(rm);
    }
}
