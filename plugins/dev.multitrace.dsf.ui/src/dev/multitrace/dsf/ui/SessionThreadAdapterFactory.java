package dev.multitrace.dsf.ui;

import dev.multitrace.debug.core.model.LaunchEngines;
import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.ProcessContext;
import dev.multitrace.dsf.ThreadContext;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionThread;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.IAdapterFactory;
import org.eclipse.debug.core.DebugPlugin;
import org.osgi.framework.FrameworkUtil;

/**
 * Adapts the Debug view's elements of Multitrace DSF sessions (process, thread, frame) to the
 * {@link SessionThread} that the Engines and Signals views of dev.multitrace.debug.ui read, and to the
 * {@link LaunchEngines} of their launch's process, through which the Engines view attaches and detaches engines:
 * those views then work for CDT launches without knowing DSF. A process stands for its first thread the
 * debugger holds (else its first thread), as in the platform model.
 */
public final class SessionThreadAdapterFactory implements IAdapterFactory {

    /** How long the UI thread may wait for the DSF executor to name a session's debugged process. */
    private static final long EXECUTOR_WAIT_MS = 500;

    /**
     * The debugged session of each process of each live DSF session (by "session id:pid", pid 0 for a context of no
     * process), found once: a process's session does not change during a launch.
     */
    private static final Map<String, DebugSession> debugSessions = new ConcurrentHashMap<>();

    static {
        DsfSession.addSessionEndedListener(ended -> debugSessions.keySet().removeIf(k -> k.startsWith(ended.getId() + ":")));
    }

    @Override
    public <T> T getAdapter(Object adaptable, Class<T> type) {
        if (type != SessionThread.class && type != LaunchEngines.class || !(adaptable instanceof IDMVMContext vmc)) {
            return null;
        }
        IDMContext dmc = vmc.getDMContext();
        DebugSession session = debugSession(dmc);
        if (session == null) {
            return null;
        }
        if (type == LaunchEngines.class) {
            return Arrays.stream(DebugPlugin.getDefault().getLaunchManager().getLaunches())
                    .filter(l -> l instanceof MultitraceLaunch m && m.getSession().getId().equals(dmc.getSessionId()))
                    .map(l -> type.cast(((MultitraceLaunch) l).engines(session))).findFirst().orElse(null);
        }
        ThreadContext thread = DMContexts.getAncestorOfType(dmc, ThreadContext.class);
        int tid = thread != null ? thread.tid() : representativeThread(session);
        return tid == 0 ? null : type.cast(new SessionThread(session, tid));
    }

    private static int representativeThread(DebugSession session) {
        List<Integer> threads = session.threads();
        return threads.stream().filter(session::isHeld).findFirst().orElse(threads.isEmpty() ? 0 : threads.get(0));
    }

    /**
     * The DebugSession of a context's process in a Multitrace DSF session (the launch's, or a fork child it
     * followed); null for other sessions (DSF-GDB's) and before the launch.
     */
    private static DebugSession debugSession(IDMContext dmc) {
        String sessionId = dmc.getSessionId();
        ProcessContext process = DMContexts.getAncestorOfType(dmc, ProcessContext.class);
        String key = sessionId + ":" + (process == null ? 0 : process.pid());
        DebugSession known = debugSessions.get(key);
        if (known != null) {
            return known;
        }
        DsfSession dsf = DsfSession.getSession(sessionId);
        if (dsf == null || !dsf.isActive() || !MultitraceDsfUiPlugin.PLUGIN_ID.equals(dsf.getOwnerId())) {
            return null;
        }
        try {
            // Services are confined to the session's executor; asked there, waited for a bounded time.
            DebugSession found = dsf.getExecutor().submit(() -> {
                DsfServicesTracker tracker = new DsfServicesTracker(
                        FrameworkUtil.getBundle(SessionThreadAdapterFactory.class).getBundleContext(), sessionId);
                try {
                    DebugSessionService backend = tracker.getService(DebugSessionService.class);
                    return backend == null ? null : backend.sessionOf(dmc);
                } finally {
                    tracker.dispose();
                }
            }).get(EXECUTOR_WAIT_MS, TimeUnit.MILLISECONDS);
            if (found != null && dsf.isActive()) {
                debugSessions.put(key, found);
            }
            return found;
        } catch (Exception e) {
            return null; // busy or shutting down: the views ask again at their next refresh
        }
    }

    @Override
    public Class<?>[] getAdapterList() {
        return new Class<?>[] { SessionThread.class, LaunchEngines.class };
    }
}
