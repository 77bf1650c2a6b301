package dev.multitrace.dsf.ui;

import dev.multitrace.dsf.CoreServices;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.DefaultDsfExecutor;
import org.eclipse.cdt.dsf.concurrent.Query;
import org.eclipse.cdt.dsf.debug.model.DsfLaunch;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ISourceLocator;

/**
 * A postmortem launch: a DSF session whose services read a core file ({@link CoreServices}): threads, frames,
 * registers and memory, every thread suspended for good. Nothing runs, so terminating only ends the session.
 */
public final class PostmortemLaunch extends DsfLaunch {

    private final DefaultDsfExecutor executor = new DefaultDsfExecutor(MultitraceDsfUiPlugin.PLUGIN_ID + ".postmortem");
    private final DsfSession session = DsfSession.startSession(executor, MultitraceDsfUiPlugin.PLUGIN_ID);
    private CoreServices services;
    private volatile boolean ended;

    public PostmortemLaunch(ILaunchConfiguration configuration, String mode, ISourceLocator locator) {
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

    /** Opens {@code core} through the services; an unreadable core fails with the symbol layer's reason. */
    void open(Path core) throws CoreException {
        call((DataRequestMonitor<Object> rm) -> {
            services = new CoreServices(session, core);
            services.initialize(rm);
        });
        fireChanged();
    }

    @Override
    public boolean canTerminate() {
        return !ended;
    }

    @Override
    public boolean isTerminated() {
        return ended;
    }

    /** Ends the services and the DSF session (once). */
    @Override
    public synchronized void terminate() {
        if (ended) {
            return;
        }
        try {
            if (services != null) {
                call((DataRequestMonitor<Object> rm) -> services.shutdown(rm));
            }
        } catch (CoreException e) {
            // ending anyway
        } finally {
            ended = true;
            executor.execute(() -> DsfSession.endSession(session));
            executor.shutdown();
            fireTerminate();
        }
    }
}
