package dev.multitrace.dsf;

import java.util.Hashtable;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.AbstractDsfService;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.osgi.framework.BundleContext;

/** How every postmortem service starts and stops: it finds the {@link CoreDumpService} and registers. */
abstract class CoreService extends AbstractDsfService {

    protected CoreDumpService dump;
    private final Class<?>[] registeredAs;

    CoreService(DsfSession session, Class<?>... registeredAs) {
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
                dump = getServicesTracker().getService(CoreDumpService.class);
                String[] names = new String[registeredAs.length + 1];
                for (int i = 0; i < registeredAs.length; i++) {
                    names[i] = registeredAs[i].getName();
                }
                names[registeredAs.length] = CoreService.this.getClass().getName();
                register(names, new Hashtable<String, String>());
                rm.done();
            }
        });
    }

    @Override
    public void shutdown(RequestMonitor rm) {
        unregister();
        super.shutdown(rm);
    }
}
