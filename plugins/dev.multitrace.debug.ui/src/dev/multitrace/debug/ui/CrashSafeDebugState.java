package dev.multitrace.debug.ui;

import org.eclipse.core.resources.IMarkerDelta;
import org.eclipse.core.resources.ResourcesPlugin;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.core.runtime.preferences.InstanceScope;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointListener;
import org.eclipse.debug.core.IExpressionManager;
import org.eclipse.debug.core.IExpressionsListener;
import org.eclipse.debug.core.model.IBreakpoint;
import org.eclipse.debug.core.model.IExpression;
import org.eclipse.debug.internal.core.ExpressionManager;
import org.eclipse.debug.internal.ui.DebugUIPlugin;
import org.eclipse.debug.internal.ui.ILaunchHistoryChangedListener;
import org.eclipse.ui.IStartup;
import org.osgi.service.prefs.BackingStoreException;

/**
 * Keeps breakpoints, watch expressions and the launch history across a crash of the IDE (a kill,
 * a power cut): saves them shortly after each change, the way the platform saves them at a normal
 * exit.
 * <p>
 * Left to itself the platform writes them late: the watch expressions (a debug.core preference)
 * and the launch history (debug.ui's launchConfigurationHistory.xml, written by a workspace save
 * participant) only when the workbench closes, breakpoint markers at the workspace's periodic
 * snapshot (every five minutes by default) or at exit. So a change is followed, after
 * {@link #DELAY_MS} of quiet, by: the expressions stored and the debug preferences flushed, then a
 * workspace snapshot ({@code IWorkspace.save(false)}), which writes the changed markers for crash
 * recovery and runs the save participants (the launch history among them). The platform reads all
 * of these at the next start as it would after a normal exit.
 * <p>
 * Started by the workbench ({@code org.eclipse.ui.startup}), so it works before any Multitrace
 * view or launch is used; it keeps the platform's own state, whatever debugger made it. The
 * expressions' storage and the launch history's listener are internal to the platform's debug
 * bundles (no API reaches them): if they change, this fails to compile rather than silently.
 */
public final class CrashSafeDebugState implements IStartup, IBreakpointListener, IExpressionsListener,
        ILaunchHistoryChangedListener {

    /** Quiet time after a change before saving: a burst of changes (a dozen breakpoints deleted) is one save. */
    public static final long DELAY_MS = 500;

    private static CrashSafeDebugState running;

    private final Job job = Job.create("Saving breakpoints, expressions and launch history", this::save);
    /** Set by a listener, cleared by the job: store the expressions (the other state needs no extra step). */
    private volatile boolean expressionsChanged;

    public CrashSafeDebugState() {
        job.setSystem(true);
    }

    @Override
    public void earlyStartup() {
        start(this);
    }

    private static synchronized void start(CrashSafeDebugState state) {
        if (running != null) {
            return;
        }
        running = state;
        DebugPlugin debug = DebugPlugin.getDefault();
        debug.getBreakpointManager().addBreakpointListener(state);
        debug.getExpressionManager().addExpressionListener(state);
        // The history itself, not the launches: it takes a launch in when it is told of it, which may
        // be after us (and after a save we would have made for the launch).
        DebugUIPlugin.getDefault().getLaunchConfigurationManager().addLaunchHistoryListener(state);
    }

    /** The instance the workbench started, or null before the workbench started it. */
    public static synchronized CrashSafeDebugState running() {
        return running;
    }

    /** The job that saves (tests wait for it). */
    public Job job() {
        return job;
    }

    private void changed() {
        // Scheduling a job that is already waiting only delays it; one that is running runs again after.
        job.schedule(DELAY_MS);
    }

    private IStatus save(IProgressMonitor monitor) {
        try {
            if (expressionsChanged) {
                expressionsChanged = false;
                IExpressionManager m = DebugPlugin.getDefault().getExpressionManager();
                // The platform's own persistence (what DebugPlugin does at shutdown); no API reaches it.
                if (m instanceof ExpressionManager em) {
                    em.storeWatchExpressions();
                }
            }
            InstanceScope.INSTANCE.getNode(DebugPlugin.getUniqueIdentifier()).flush();
            InstanceScope.INSTANCE.getNode("org.eclipse.debug.ui").flush();
            ResourcesPlugin.getWorkspace().save(false, monitor);
            return Status.OK_STATUS;
        } catch (CoreException e) {
            // Another save in progress, typically: the next change saves again; the exit saves anyway.
            return new Status(IStatus.WARNING, MultitraceUi.PLUGIN_ID, "could not save the debug state now", e);
        } catch (BackingStoreException e) {
            return new Status(IStatus.WARNING, MultitraceUi.PLUGIN_ID, "could not write the debug preferences", e);
        }
    }

    // --- what changes: breakpoints (markers), watch expressions, the launch history

    @Override
    public void breakpointAdded(IBreakpoint breakpoint) {
        changed();
    }

    @Override
    public void breakpointRemoved(IBreakpoint breakpoint, IMarkerDelta delta) {
        changed();
    }

    @Override
    public void breakpointChanged(IBreakpoint breakpoint, IMarkerDelta delta) {
        changed();
    }

    @Override
    public void expressionsAdded(IExpression[] expressions) {
        expressionsChanged = true;
        changed();
    }

    @Override
    public void expressionsRemoved(IExpression[] expressions) {
        expressionsChanged = true;
        changed();
    }

    @Override
    public void expressionsChanged(IExpression[] expressions) {
        expressionsChanged = true;
        changed();
    }

    @Override
    public void launchHistoryChanged() {
        changed();
    }
}
