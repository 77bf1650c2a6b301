package dev.multitrace.dsf;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.service.IDsfService;

/**
 * The services of a Multitrace DSF session, in the order they start (each finds the ones before it
 * through the services tracker) and stop (the reverse). Call on the session's executor.
 */
public final class MultitraceServices {

    private final List<IDsfService> services = new ArrayList<>();

    /**
     * The services of {@code session}; with {@code cdtBreakpoints}, CDT's breakpoints (the platform's
     * breakpoint manager) are followed by a {@link BreakpointsMediator2} with {@link CBreakpointTranslator}.
     */
    public MultitraceServices(DsfSession session, boolean cdtBreakpoints) {
        services.add(new DebugSessionService(session));
        services.add(new MultitraceRunControl(session));
        services.add(new MultitraceStack(session));
        services.add(new MultitraceRegisters(session));
        services.add(new MultitraceMemory(session));
        services.add(new MultitraceBreakpoints(session));
        services.add(new MultitraceExpressions(session));
        services.add(new MultitraceProcesses(session));
        services.add(new MultitraceDisassembly(session));
        services.add(new MultitraceModules(session));
        if (cdtBreakpoints) {
            services.add(new BreakpointsMediator2(session, new CBreakpointTranslator()));
        }
    }

    public List<IDsfService> services() {
        return List.copyOf(services);
    }

    /** Starts them one after the other; {@code rm} fails with the first that fails. */
    public void initialize(RequestMonitor rm) {
        initialize(0, rm);
    }

    private void initialize(int i, RequestMonitor rm) {
        if (i == services.size()) {
            rm.done();
            return;
        }
        services.get(i).initialize(new RequestMonitor(services.get(i).getExecutor(), rm) {
            @Override
            protected void handleSuccess() {
                initialize(i + 1, rm);
            }
        });
    }

    /** Stops them in the reverse order, each even if the one before failed to stop. */
    public void shutdown(RequestMonitor rm) {
        shutdown(services.size() - 1, rm);
    }

    private void shutdown(int i, RequestMonitor rm) {
        if (i < 0) {
            rm.done();
            return;
        }
        IDsfService s = services.get(i);
        if (!s.isRegistered()) {
            shutdown(i - 1, rm);
            return;
        }
        s.shutdown(new RequestMonitor(s.getExecutor(), rm) {
            @Override
            protected void handleCompleted() {
                shutdown(i - 1, rm);
            }
        });
    }
}
