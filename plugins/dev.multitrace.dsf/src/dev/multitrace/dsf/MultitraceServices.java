package dev.multitrace.dsf;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.service.IDsfService;

/**
 * The services of a live Multitrace DSF session: the session's backend first, then the services over it. Call
 * on the session's executor.
 */
public final class MultitraceServices extends ServiceSequence {

    /**
     * The services of {@code session}; with {@code cdtBreakpoints}, CDT's breakpoints (the platform's
     * breakpoint manager) are followed by a {@link BreakpointsMediator2} with {@link CBreakpointTranslator}.
     */
    public MultitraceServices(DsfSession session, boolean cdtBreakpoints) {
        super(list(session, cdtBreakpoints));
    }

    private static List<IDsfService> list(DsfSession session, boolean cdtBreakpoints) {
        List<IDsfService> services = new ArrayList<>();
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
        services.add(new MultitraceSourceLookup(session));
        if (cdtBreakpoints) {
            services.add(new BreakpointsMediator2(session, new CBreakpointTranslator()));
        }
        return services;
    }
}
