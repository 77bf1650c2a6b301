package dev.multitrace.dsf;

import java.util.Hashtable;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.AbstractDsfService;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.osgi.framework.BundleContext;

/**
 * How every service of this bundle, live or postmortem, starts and stops, written once: when the DSF session
 * starts it, it prepares itself ({@link #start}) and registers under its DSF interfaces and its own class (other
 * services and the view models find it so); when it stops, it undoes {@link #start} ({@link #stop}) and
 * unregisters.
 * <p>
 * Like every DSF service: confined to the session's executor.
 */
abstract class MultitraceService extends AbstractDsfService {

    private final Class<?>[] registeredAs;

    /** @param registeredAs the DSF service interfaces it implements (its own class is added) */
    MultitraceService(DsfSession session, Class<?>... registeredAs) {
        super(session);
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
                try {
                    start();
                } catch (CoreException e) {
                    rm.setStatus(e.getStatus()); // not registered: the session's services stop at this one
                    rm.done();
                    return;
                }
                String[] names = new String[registeredAs.length + 1];
                for (int i = 0; i < registeredAs.length; i++) {
                    names[i] = registeredAs[i].getName();
                }
                names[registeredAs.length] = MultitraceService.this.getClass().getName();
                register(names, new Hashtable<String, String>());
                rm.done();
            }
        });
    }

    /** The services started before this one are registered: look them up, open what it reads. */
    protected void start() throws CoreException {
    }

    /** Undoes {@link #start}, before it unregisters. */
    protected void stop() {
    }

    @Override
    public void shutdown(RequestMonitor rm) {
        stop();
        unregister();
        super.shutdown(rm);
    }

    /** A failed request's status, as every service of this bundle answers. */
    static IStatus error(int code, String message) {
        return new Status(IStatus.ERROR, MultitraceDsfPlugin.PLUGIN_ID, code, message, null);
    }
}
