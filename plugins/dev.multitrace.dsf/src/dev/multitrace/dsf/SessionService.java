package dev.multitrace.dsf;

import org.eclipse.cdt.dsf.service.DsfSession;

/**
 * A service of a live DSF session: it finds the session's backend ({@link DebugSessionService}), looks up what
 * else it needs ({@link #started}) and listens for the session's service events if it handles any. So each
 * service's file holds only its concern.
 */
abstract class SessionService extends MultitraceService {

    /** The headless debug session behind this DSF session; set at initialize. */
    protected DebugSessionService backend;
    private final boolean listens;

    /**
     * @param listens      whether it has {@code @DsfServiceEventHandler} methods
     * @param registeredAs the DSF service interfaces it implements
     */
    SessionService(DsfSession session, boolean listens, Class<?>... registeredAs) {
        super(session, registeredAs);
        this.listens = listens;
    }

    @Override
    protected final void start() {
        backend = getServicesTracker().getService(DebugSessionService.class);
        started();
        if (listens) {
            getSession().addServiceEventListener(this, null);
        }
    }

    /** The backend is known: a service that needs other services looks them up here. */
    protected void started() {
    }

    @Override
    protected final void stop() {
        if (listens) {
            getSession().removeServiceEventListener(this);
        }
    }
}
