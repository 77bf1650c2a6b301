package dev.multitrace.dsf;

import java.nio.file.Path;
import java.util.List;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.service.IDsfService;

/**
 * The services of a postmortem DSF session over a core file, in the order they start (the core first) and stop
 * (the reverse). Call on the session's executor.
 */
public final class CoreServices {

    private final List<IDsfService> services;

    public CoreServices(DsfSession session, Path core) {
        services = List.of(new CoreDumpService(session, core), new CoreRunControl(session), new CoreStack(session),
                new CoreRegisters(session), new CoreMemory(session));
    }

    public List<IDsfService> services() {
        return services;
    }

    /** Starts them one after the other; {@code rm} fails with the first that fails (an unreadable core). */
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

    /** Stops the started ones in the reverse order. */
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
