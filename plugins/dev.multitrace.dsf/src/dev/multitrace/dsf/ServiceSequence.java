package dev.multitrace.dsf;

import java.util.List;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.IDsfService;

/**
 * The services of a DSF session, started in their order (each finds the ones before it through the services
 * tracker) and stopped in the reverse order. Live and postmortem sessions differ only in their list. Call on
 * the session's executor.
 */
public abstract class ServiceSequence {

    private final List<IDsfService> services;

    protected ServiceSequence(List<IDsfService> services) {
        this.services = List.copyOf(services);
    }

    public List<IDsfService> services() {
        return services;
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

    /** Stops the started ones in the reverse order, each even if the one before failed to stop. */
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
