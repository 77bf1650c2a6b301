package dev.multitrace.debug.ui;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.runtime.Adapters;

import dev.multitrace.debug.core.session.DebugSession;
import dev.multitrace.debug.core.session.EngineInfo;
import dev.multitrace.debug.core.session.SignalSettings;
import dev.multitrace.debug.ui.EnginesView.EngineRow;

/**
 * The one place the UI maps the Debug view's elements (launch, target, thread, frame) to the debug
 * model's session and thread: the views and actions ask here and stay thin.
 */
public final class DebugContexts {

    /** A Multitrace session and, when the element is (in) a thread, that thread's id (else 0). */
    public record Ref(DebugSession session, int tid) {
    }

    private DebugContexts() {
    }

    /** The session and thread of {@code element}; null if it is not a Multitrace element. */
    public static Ref resolve(Object element) {
        if (element == null) {
            return null;
        }
        DebugSession session = Adapters.adapt(element, DebugSession.class);
        if (session == null) {
            return null;
        }
        Integer tid = ThreadIds.of(element);
        return new Ref(session, tid == null ? 0 : tid);
    }

    /** The signal settings of the session {@code element} belongs to; null if it is not a Multitrace element. */
    public static SignalSettings signalSettings(Object element) {
        Ref ref = resolve(element);
        return ref == null ? null : ref.session().signalSettings();
    }

    /** Whether {@code element} is (in) a thread of a live Multitrace session, whose engines can be listed. */
    public static boolean hasEngines(Object element) {
        Ref ref = resolve(element);
        return ref != null && ref.tid() != 0 && !ref.session().isEnded();
    }

    /** The engines of the thread {@code element} is or belongs to. */
    public static List<EngineRow> engines(Object element) {
        Ref ref = resolve(element);
        if (ref == null || ref.tid() == 0) {
            return List.of();
        }
        List<EngineRow> rows = new ArrayList<>();
        for (EngineInfo e : ref.session().engines(ref.tid())) {
            rows.add(new EngineRow(e.tid(), e.name(), e.eventsText(), e.holdsStop(),
                    e.lastAction() == null ? "" : e.lastAction().name(), e.callbacks()));
        }
        return rows;
    }

    /** What the Engines view's header says about the thread shown. */
    public static String describe(Object element) {
        Ref ref = resolve(element);
        if (ref == null || ref.tid() == 0) {
            return "";
        }
        if (ref.session().isEnded()) {
            return "Thread " + ref.tid() + " of process " + ref.session().pid() + ": session ended";
        }
        return "Thread " + ref.tid() + " of process " + ref.session().pid() + ": " + ref.session().stateLabel(ref.tid());
    }

    /** The DWARF source path of a stack frame; null if it has no line information. */
    public static String sourcePath(Object element) {
        return null;
    }

    /** The Debug view's label for a Multitrace element; null for the platform default. */
    public static String label(Object element) {
        return null;
    }
}
