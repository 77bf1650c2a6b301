package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.service.DsfSession;

/** A service of a postmortem DSF session: it reads the core through the {@link CoreDumpService}. */
abstract class CoreService extends MultitraceService {

    protected CoreDumpService dump;

    CoreService(DsfSession session, Class<?>... registeredAs) {
        super(session, registeredAs);
    }

    @Override
    protected final void start() {
        dump = getServicesTracker().getService(CoreDumpService.class);
    }
}
