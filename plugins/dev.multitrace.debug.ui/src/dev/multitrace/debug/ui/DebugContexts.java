package dev.multitrace.debug.ui;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IProcess;
import org.eclipse.debug.core.model.IThread;
import org.eclipse.debug.core.model.IDebugElement;
import org.eclipse.debug.core.model.IStackFrame;

import dev.multitrace.debug.core.model.LaunchEngines;
import dev.multitrace.debug.core.model.MultitraceDebugTarget;
import dev.multitrace.debug.core.model.MultitraceThread;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.EngineInfo;
import dev.multitrace.session.SessionThread;
import dev.multitrace.session.SignalSettings;
import dev.multitrace.debug.ui.EnginesView.EngineRow;

/**
 * The one place the UI maps the Debug view's elements (launch, target, thread, frame) to the debug
 * model's target and thread: the views and actions ask here and stay thin. Elements of CDT's DSF
 * sessions have no platform debug target: they adapt to a {@link SessionThread} (dev.multitrace.dsf.ui
 * provides the adapter), which is enough for the views that only read (engines, signals), and to the
 * {@link LaunchEngines} of their launch, through which the Engines view attaches and detaches engines; the
 * actions that need the platform model's target (resume with a signal) are not offered for them.
 */
public final class DebugContexts {

    /** A Multitrace debug target and, when the element is (in) a thread, that thread (else null). */
    public record Ref(MultitraceDebugTarget target, MultitraceThread thread) {

        public DebugSession session() {
            return target.session();
        }

        /** The thread's id, 0 when the session has no thread left. */
        public int tid() {
            return thread == null ? 0 : thread.tid();
        }
    }

    private DebugContexts() {
    }

    /**
     * The target and thread of {@code element}; null if it is not a Multitrace element. A launch, process or
     * target stands for its first suspended thread (else its first thread): selecting the session row of the
     * Debug view, as a user often does, must not leave the per-thread views empty.
     */
    public static Ref resolve(Object element) {
        if (element instanceof IProcess process) {
            element = process.getLaunch();
        }
        if (element instanceof ILaunch launch) {
            element = launch.getDebugTarget();
        }
        if (!(element instanceof IDebugElement de) || !(de.getDebugTarget() instanceof MultitraceDebugTarget target)) {
            return null;
        }
        MultitraceThread thread = null;
        if (element instanceof MultitraceThread t) {
            thread = t;
        } else if (element instanceof IStackFrame f && f.getThread() instanceof MultitraceThread t) {
            thread = t;
        } else {
            thread = representativeThread(target);
        }
        return new Ref(target, thread);
    }

    private static MultitraceThread representativeThread(MultitraceDebugTarget target) {
        MultitraceThread first = null;
        for (IThread t : target.getThreads()) {
            if (t instanceof MultitraceThread mt) {
                if (mt.isSuspended()) {
                    return mt;
                }
                if (first == null) {
                    first = mt;
                }
            }
        }
        return first;
    }

    /** The session and thread {@code element} is or stands for, of either debug model; null if none. */
    public static SessionThread sessionThread(Object element) {
        Ref ref = resolve(element);
        if (ref != null) {
            return ref.thread() == null ? null : new SessionThread(ref.session(), ref.tid());
        }
        return element == null ? null : Adapters.adapt(element, SessionThread.class);
    }

    /** The signal settings of the session {@code element} belongs to; null if it is not a Multitrace element. */
    public static SignalSettings signalSettings(Object element) {
        Ref ref = resolve(element);
        if (ref != null) {
            return ref.target().getSignalSettings();
        }
        SessionThread t = sessionThread(element);
        return t == null ? null : t.session().signalSettings();
    }

    /** Whether {@code element} is (in) a thread of a live Multitrace session, whose engines can be listed. */
    public static boolean hasEngines(Object element) {
        SessionThread t = sessionThread(element);
        // The session, not the target: a disconnected target is not terminated, and has no engines either.
        return t != null && !t.session().isEnded();
    }

    /** Whether engines can be attached and detached from the Engines view: a live session's thread, of either model. */
    public static boolean canAttachEngines(Object element) {
        LaunchEngines engines = launchEngines(element);
        return engines != null && sessionThread(element) != null && !engines.session().isEnded();
    }

    /** The engines of the launch {@code element} belongs to, of either debug model; null if it is not a Multitrace element. */
    public static LaunchEngines launchEngines(Object element) {
        Ref ref = resolve(element);
        if (ref != null) {
            return ref.target().engines();
        }
        return element == null ? null : Adapters.adapt(element, LaunchEngines.class);
    }

    /** The engines of the thread {@code element} is or belongs to. */
    public static List<EngineRow> engines(Object element) {
        SessionThread t = sessionThread(element);
        if (t == null) {
            return List.of();
        }
        List<EngineRow> rows = new ArrayList<>();
        for (EngineInfo e : t.session().engines(t.tid())) {
            rows.add(new EngineRow(e.tid(), e.name(), e.eventsText(), e.holdsStop(),
                    e.lastAction() == null ? "" : e.lastAction().name(), e.callbacks()));
        }
        return rows;
    }

    /** What the Engines view's header says about the thread shown. */
    public static String describe(Object element) {
        SessionThread t = sessionThread(element);
        if (t == null) {
            return "";
        }
        String where = "Thread " + t.tid() + " of process " + t.session().pid() + ": ";
        return t.session().isEnded() ? where + "session ended" : where + t.session().stateLabel(t.tid());
    }
}
