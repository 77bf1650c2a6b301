package dev.multitrace.dsf;

import java.util.Hashtable;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.AbstractDsfService;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.osgi.framework.BundleContext;

/**
 * How every Multitrace DSF service starts and stops, written once: once the DSF session has started
 * it, it finds the session's backend ({@link DebugSessionService}), looks up what else it needs
 * ({@link #started}), listens for the session's service events if it handles any, and registers
 * under its DSF interfaces and its own class. So each service's file holds only its concern.
 * <p>
 * Like every DSF service: confined to the session's executor.
 */
abstract class SessionService extends AbstractDsfService {

    /** The headless debug session behind this DSF session; set at initialize. */
    protected DebugSessionService backend;
    private final boolean listens;
    private final Class<?>[] registeredAs;

    /**
     * @param listens      whether it has {@code @DsfServiceEventHandler} methods
     * @param registeredAs the DSF service interfaces it implements
     */
    SessionService(DsfSession session, boolean listens, Class<?>... registeredAs) {
        super(session);
        this.listens = listens;
        this.registeredAs = registeredAs;
    }

    @Override
    protected BundleContext getBundleContext() {
        return MultitraceDsfPlugin.getBundleContext();
    }

    @Override
    public void initialize(RequestMonitor rm) {
        super.initialize(new RequestMonitor(getExecutor(), rm) {
            @Override
            protected void handleSuccess() {
                backend = getServicesTracker().getService(DebugSessionService.class);
                started();
                if (listens) {
                    getSession().addServiceEventListener(SessionService.this, null);
                }
                String[] names = new String[registeredAs.length + 1];
                for (int i = 0; i < registeredAs.length; i++) {
                    names[i] = registeredAs[i].getName();
                }
                names[registeredAs.length] = SessionService.this.getClass().getName();
                register(names, new Hashtable<String, String>());
                rm.done();
            }
        });
    }

    /** The backend is known: a service that needs other services looks them up here. */
    protected void started() {
    }

    @Override
    public void shutdown(RequestMonitor rm) {
        if (listens) {
            getSession().removeServiceEventListener(this);
        }
        unregister();
        super.shutdown(rm);
    }
}
