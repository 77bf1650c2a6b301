package dev.multitrace.debug.ui.tests;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.model.IDebugTarget;
import org.eclipse.debug.core.model.IThread;

/**
 * Records the debug model's events so a test can wait for "the next suspend after my request"
 * rather than polling states that may not have changed yet.
 */
final class DebugEvents implements IDebugEventSetListener, AutoCloseable {

    private final List<DebugEvent> events = new ArrayList<>();

    DebugEvents() {
        DebugPlugin.getDefault().addDebugEventListener(this);
    }

    @Override
    public synchronized void handleDebugEvents(DebugEvent[] set) {
        events.addAll(List.of(set));
    }

    /** A mark: events after it are "new". */
    synchronized int mark() {
        return events.size();
    }

    /** Waits (running the UI loop) for a SUSPEND of a thread of {@code target} after {@code mark}; returns the thread. */
    IThread awaitSuspend(IDebugTarget target, int mark, Duration timeout) {
        return Workbench.waitFor("a thread of " + target + " suspends", timeout, () -> findSuspend(target, mark));
    }

    private synchronized IThread findSuspend(IDebugTarget target, int mark) {
        for (int i = mark; i < events.size(); i++) {
            DebugEvent e = events.get(i);
            if (e.getKind() == DebugEvent.SUSPEND && e.getSource() instanceof IThread t && t.getDebugTarget() == target
                    && t.isSuspended()) {
                return t;
            }
        }
        return null;
    }

    /**
     * Waits for the CREATE event of a debug target whose launch satisfies {@code launch} (the launch
     * manager first lists a stand-in "waiting for build" launch, which never gets a target).
     */
    IDebugTarget awaitTarget(String what, Predicate<ILaunch> launch, Duration timeout) {
        return Workbench.waitFor("a debug target of " + what, timeout, () -> findTarget(launch));
    }

    private synchronized IDebugTarget findTarget(Predicate<ILaunch> launch) {
        for (DebugEvent e : events) {
            if (e.getKind() == DebugEvent.CREATE && e.getSource() instanceof IDebugTarget t && launch.test(t.getLaunch())) {
                return t;
            }
        }
        return null;
    }

    /** Waits for the target to terminate. */
    void awaitTerminated(IDebugTarget target, Duration timeout) {
        Workbench.waitUntil(target + " terminates", timeout, target::isTerminated);
    }

    @Override
    public void close() {
        DebugPlugin.getDefault().removeDebugEventListener(this);
    }
}
