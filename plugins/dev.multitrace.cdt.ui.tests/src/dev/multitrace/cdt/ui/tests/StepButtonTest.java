package dev.multitrace.cdt.ui.tests;

import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.cdt.dsf.datamodel.DMContexts;
import org.eclipse.cdt.dsf.debug.service.IRunControl;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.SteppingController;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.commands.IStepOverHandler;
import org.eclipse.debug.ui.DebugUITools;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** The platform's Step Over command (the toolbar button's) on a Multitrace thread selected in the Debug view. */
class StepButtonTest {

    /** Four launches, four Step Overs each: the button must step every time (it was ignored in some runs). */
    /** What the platform logged during the test (DSF logs a step's failure there, and drops some steps with no word). */
    private final java.util.List<String> logged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @Test
    void stepOverFromTheToolbarStepsEveryTime() throws Exception {
        Workbench.prepare();
        org.eclipse.core.runtime.ILogListener log = (status, plugin) -> logged.add(status.toString());
        org.eclipse.core.runtime.Platform.addLogListener(log);
        try {
            for (int round = 0; round < 4; round++) {
                try (LoopLaunch loop = LoopLaunch.stoppedAtMain("loop, step button " + round)) {
                    stepFourTimes(loop);
                }
            }
        } finally {
            org.eclipse.core.runtime.Platform.removeLogListener(log);
        }
    }

    private void stepFourTimes(LoopLaunch loop) throws Exception {
        DebugSession s = loop.session;
        int pid = s.pid();
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger stepStops = new AtomicInteger();
        java.util.List<String> events = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        s.addListener(new SessionListener() {
            @Override
            public void threadResumed(int tid, StepKind step) {
                events.add("resumed " + tid + (step == null ? "" : " step " + step));
                if (step != null) {
                    steps.incrementAndGet();
                }
            }

            @Override
            public void threadStopped(int tid, StopReason reason) {
                events.add("stopped " + tid + " " + reason.kind());
                if (reason.kind() == StopReason.Kind.STEP) {
                    stepStops.incrementAndGet();
                }
            }
        });
        for (int i = 1; i <= 4; i++) {
            DebugViewThreads.selectMultitraceThread(s);
            // What the user sees before pressing the button: the Debug view's thread suspended, which is DSF's run
            // control state (its events, which come after the session's). Pressed before, DSF's stepping controller
            // finds the thread running and drops the step without a word, for DSF-GDB's threads alike; and the button
            // may still be enabled from the thread selected before (its state is asked again asynchronously).
            dev.multitrace.dsf.ThreadContext thread = loop.thread(pid);
            Workbench.waitUntil("DSF's run control has thread " + pid + " suspended", Duration.ofSeconds(10), () -> {
                try {
                    return loop.onExecutor(() -> {
                        IRunControl r = loop.runControl();
                        return r.isSuspended(thread) && !r.isStepping(thread);
                    });
                } catch (Exception e) {
                    return false;
                }
            });
            // DSF's stepping controller drops a step asked within its minimum interval after the last one when no
            // step is in progress (PREF_MIN_STEP_INTERVAL, for DSF-GDB alike): a user reads the line first.
            Workbench.spin(300);
            DebugViewThreads.runCommand("org.eclipse.debug.ui.commands.StepOver");
            int want = i;
            Workbench.waitUntil(() -> "step " + want + " reached the session and ended (steps " + steps + ", step stops " + stepStops
                    + ", state " + s.stateLabel(pid) + ", held " + s.isHeld(pid) + "; " + diagnose(loop) + "; session events " + events + "; logged " + logged + ")",
                    Duration.ofSeconds(10),
                    () -> stepStops.get() >= want && s.isHeld(pid));
        }
    }

    /** What the stepping controller and the run control think of the selected thread, for a failure's message. */
    private static String diagnose(LoopLaunch loop) {
        try {
            Object context = DebugUITools.getDebugContext();
            Object handler = context == null ? null : Adapters.adapt(context, IStepOverHandler.class);
            org.eclipse.core.commands.Command command = org.eclipse.ui.PlatformUI.getWorkbench()
                    .getService(org.eclipse.ui.commands.ICommandService.class).getCommand("org.eclipse.debug.ui.commands.StepOver");
            SteppingController sc = (SteppingController) loop.launch.getSession().getModelAdapter(SteppingController.class);
            return "handler " + handler + ", command enabled " + command.isEnabled() + "; " + loop.onExecutor(() -> {
                if (!(context instanceof IDMVMContext vmc)) {
                    return "context " + context;
                }
                DsfServicesTracker t = new DsfServicesTracker(FrameworkUtil.getBundle(StepButtonTest.class).getBundleContext(),
                        loop.launch.getSession().getId());
                try {
                    IRunControl r = t.getService(IRunControl.class);
                    IExecutionDMContext exec = DMContexts.getAncestorOfType(vmc.getDMContext(), IExecutionDMContext.class);
                    return "context " + vmc.getDMContext() + ", suspended " + r.isSuspended(exec) + ", stepping "
                            + r.isStepping(exec) + ", pending steps " + (sc == null ? "no controller" : sc.getPendingStepCount(exec))
                            + ", timed out " + (sc != null && sc.isSteppingTimedOut(exec));
                } finally {
                    t.dispose();
                }
            });
        } catch (Exception e) {
            return "diagnosis failed: " + e;
        }
    }
}
