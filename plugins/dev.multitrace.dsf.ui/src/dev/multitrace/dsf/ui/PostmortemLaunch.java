package dev.multitrace.dsf.ui;

import dev.multitrace.dsf.CoreServices;

import java.nio.file.Path;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.ILaunchConfiguration;
import org.eclipse.debug.core.model.ISourceLocator;

/**
 * A postmortem launch: a DSF session whose services read a core file ({@link CoreServices}): threads, frames,
 * registers and memory, every thread suspended for good. Nothing runs, so terminating only ends the session.
 */
public final class PostmortemLaunch extends SessionLaunch {

    private CoreServices services;

    public PostmortemLaunch(ILaunchConfiguration configuration, String mode, ISourceLocator locator) {
        super(configuration, mode, locator, "postmortem");
    }

    /** Opens {@code core} through the services; an unreadable core fails with the symbol layer's reason. */
    void open(Path core) throws CoreException {
        call((DataRequestMonitor<Object> rm) -> {
            services = new CoreServices(session, core);
            services.initialize(rm);
        });
        fireChanged();
    }

    /** Ends the services and the DSF session (once). */
    @Override
    public void terminate() {
        endSession();
    }

    @Override
    protected void stopServices(RequestMonitor rm) {
        if (services == null) {
            rm.done();
        } else {
            services.shutdown(rm);
        }
    }
}
