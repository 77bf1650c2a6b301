package dev.multitrace.cdt.ui.tests;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.ui.MultitraceLaunch;
import dev.multitrace.session.DebugSession;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.osgi.framework.FrameworkUtil;

/** The headless debug session behind a Multitrace launch, asked of its DSF backend service on the session's executor. */
final class Sessions {

    private Sessions() {
    }

    /** The launch's debug session, once it has one (at most {@code timeout}). */
    static DebugSession of(MultitraceLaunch launch, Duration timeout) {
        return Workbench.waitFor(timeout, "the launch's debug session", () -> {
            try {
                return launch.getSession().getExecutor().submit(() -> {
                    DsfServicesTracker tracker = new DsfServicesTracker(
                            FrameworkUtil.getBundle(Sessions.class).getBundleContext(), launch.getSession().getId());
                    try {
                        DebugSessionService backend = tracker.getService(DebugSessionService.class);
                        return backend == null ? null : backend.debugSession();
                    } finally {
                        tracker.dispose();
                    }
                }).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                return null;
            }
        });
    }
}
