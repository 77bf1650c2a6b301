package dev.multitrace.dsf.ui;

import dev.multitrace.dsf.MultitraceSourceLookup;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.DefaultDsfExecutor;
import org.eclipse.cdt.dsf.concurrent.Query;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.debug.model.DsfLaunch;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ISourceLocator;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.osgi.framework.FrameworkUtil;

/**
 * What a launch of ours, live or postmortem, does with its DSF session, written once: the session on an executor
 * of its own, requests run there from other threads ({@link #call}), and the end (the services stopped, then the
 * session and its executor, once).
 */
abstract class SessionLaunch extends DsfLaunch {

    /** How long a request waits for the debugger's answer before it fails. */
    private static final long ANSWER_SECONDS = 60;

    protected final DefaultDsfExecutor executor;
    protected final DsfSession session;
    private volatile boolean ended;

    /** @param executorName the last part of the executor thread's name (what a thread dump tells of it) */
    SessionLaunch(ILaunchConfiguration configuration, String mode, ISourceLocator locator, String executorName) {
        super(configuration, mode, locator);
        executor = new DefaultDsfExecutor(MultitraceDsfUiPlugin.PLUGIN_ID + "." + executorName);
        session = DsfSession.startSession(executor, MultitraceDsfUiPlugin.PLUGIN_ID);
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
            return q.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new CoreException(SessionAdapters.error(String.valueOf(e.getCause().getMessage()), e.getCause()));
        } catch (InterruptedException | TimeoutException e) {
            throw new CoreException(SessionAdapters.error("the debugger did not answer: " + e, e));
        }
    }

    /**
     * The session's source lookup service asks the launch's source lookup director (the configuration's: CDT's, with
     * the user's source containers and path mappings) for the files the Disassembly view shows, as the editor does.
     * Once the services started; nothing without a director.
     */
    void useSourceLookupDirector() throws CoreException {
        if (!(getSourceLocator() instanceof ISourceLookupDirector director)) {
            return;
        }
        call((DataRequestMonitor<Object> rm) -> {
            DsfServicesTracker tracker = new DsfServicesTracker(FrameworkUtil.getBundle(SessionLaunch.class).getBundleContext(),
                    session.getId());
            try {
                MultitraceSourceLookup lookup = tracker.getService(MultitraceSourceLookup.class);
                if (lookup != null) {
                    lookup.setSourceLookupDirector(director);
                }
            } finally {
                tracker.dispose();
            }
            rm.done();
        });
    }

    @Override
    public boolean canTerminate() {
        return !ended;
    }

    @Override
    public boolean isTerminated() {
        return ended;
    }

    /** Stops the services, then the DSF session and its executor (once); the launch is terminated after. */
    protected final synchronized void endSession() {
        if (ended) {
            return;
        }
        try {
            call((DataRequestMonitor<Object> rm) -> stopServices(rm));
        } catch (CoreException e) {
            // ending anyway: a service that does not stop must not keep the session alive
        } finally {
            ended = true;
            executor.execute(() -> DsfSession.endSession(session));
            executor.shutdown();
            fireTerminate();
        }
    }

    /** Stops the launch's services, on the executor ({@code rm} done at once when none were started). */
    protected abstract void stopServices(RequestMonitor rm);
}
