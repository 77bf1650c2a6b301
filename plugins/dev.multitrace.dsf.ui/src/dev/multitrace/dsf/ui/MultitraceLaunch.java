package dev.multitrace.dsf.ui;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.MultitraceProcesses;
import dev.multitrace.dsf.MultitraceServices;
import dev.multitrace.dsf.ProcessContext;
import dev.multitrace.session.DebugSession;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.DefaultDsfExecutor;
import org.eclipse.cdt.dsf.concurrent.Query;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.model.DsfLaunch;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ISourceLocator;

/**
 * A launch of the Multitrace debugger from CDT: its DSF session (own executor) with the Multitrace services,
 * CDT's breakpoints followed by the mediator, and the one process it debugs. It ends when the process
 * exits, or on terminate (the program is killed; an attached one is detached and runs on).
 */
public final class MultitraceLaunch extends DsfLaunch {

    private final DefaultDsfExecutor executor = new DefaultDsfExecutor(MultitraceDsfUiPlugin.PLUGIN_ID + ".executor");
    private final DsfSession session = DsfSession.startSession(executor, MultitraceDsfUiPlugin.PLUGIN_ID);
    private MultitraceServices services;
    private volatile boolean ended;

    public MultitraceLaunch(ILaunchConfiguration configuration, String mode, ISourceLocator locator) {
        super(configuration, mode, locator);
    }

    public DsfSession getSession() {
        return session;
    }

    /** Runs {@code request} on the session's executor and waits for its answer (not on the executor). */
    <T> T call(Consumer<DataRequestMonitor<T>> request) throws CoreException {
        Query<T> q = new Query<>() {
            @Override
            protected void execute(DataRequestMonitor<T> rm) {
                request.accept(rm);
            }
        };
        executor.execute(q);
        try {
            return q.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CoreException(SessionAdapters.error(String.valueOf(e.getCause().getMessage()), e.getCause()));
        } catch (InterruptedException | TimeoutException e) {
            throw new CoreException(SessionAdapters.error("the debugger did not answer: " + e, e));
        }
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
     * Starts {@code program} held at its first instruction, plants CDT's breakpoints, then lets it run to main
     * (or on): breakpoints before main are planted in time.
     */
    void debug(String program, List<String> arguments, boolean stopAtMain) throws CoreException {
        MultitraceProcesses processes = service(MultitraceProcesses.class);
        ProcessContext process = (ProcessContext) this.<IDMContext>call(rm -> processes.debugNewProcess(null, program,
                Map.of(MultitraceProcesses.ARGUMENTS, arguments, MultitraceProcesses.HOLD_AT_ENTRY, true), rm));
        BreakpointsMediator2 mediator = service(BreakpointsMediator2.class);
        call((DataRequestMonitor<Object> rm) -> mediator.startTrackingBreakpoints(process, rm));
        DebugSessionService backend = service(DebugSessionService.class);
        call((DataRequestMonitor<Object> rm) -> {
            backend.debugSession().start(stopAtMain ? DebugSession.StopMode.MAIN : DebugSession.StopMode.NONE);
            rm.done();
        });
        fireChanged();
    }

    private <S> S service(Class<S> type) {
        return services.services().stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }

    /** The process is gone: the session ends with it. */
    @DsfServiceEventHandler
    public void eventDispatched(IExitedDMEvent e) {
        if (e.getDMContext() instanceof ProcessContext) {
            new Thread(this::endSession, "multitrace-launch-end").start();
        }
    }

    @Override
    public boolean canTerminate() {
        return !ended;
    }

    @Override
    public boolean isTerminated() {
        return ended;
    }

    @Override
    public void terminate() throws DebugException {
        if (ended) {
            return;
        }
        try {
            DebugSessionService backend = services == null ? null : service(DebugSessionService.class);
            if (backend != null) {
                call((DataRequestMonitor<Object> rm) -> {
                    DebugSession s = backend.debugSession();
                    if (s != null && !s.isEnded()) {
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

    /** Stops the services and the DSF session (once). */
    private synchronized void endSession() {
        if (ended) {
            return;
        }
        try {
            if (services != null) {
                call((DataRequestMonitor<Object> rm) -> {
                    session.removeServiceEventListener(this);
                    services.shutdown(rm);
                });
            }
        } catch (CoreException e) {
            // shutting down anyway
        } finally {
            ended = true;
            executor.execute(() -> DsfSession.endSession(session));
            executor.shutdown();
            fireTerminate();
        }
    }
}
