package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.multitrace.dsf.DebugSessionService;
import dev.multitrace.dsf.ui.MultitraceLaunch;
import dev.multitrace.session.DebugSession;
import dev.multitrace.session.SessionListener;
import dev.multitrace.session.SessionThread;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;
import dev.multitrace.testing.TestPrograms;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.Adapters;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.eclipse.debug.ui.DebugUITools;
import org.eclipse.debug.ui.IDebugUIConstants;
import org.eclipse.debug.ui.IDebugView;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Tree;
import org.eclipse.swt.widgets.TreeItem;
import org.eclipse.ui.PlatformUI;
import org.eclipse.ui.handlers.IHandlerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/** The platform's Step Over command (the toolbar button's) on a Multitrace thread selected in the Debug view. */
class StepButtonTest {

    private MultitraceLaunch launch;

    @AfterEach
    void end() throws Exception {
        if (launch != null && launch.canTerminate()) {
            launch.terminate();
        }
        if (launch != null) {
            DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
        }
    }

    /** Four launches, four Step Overs each: the button must step every time (it was ignored in some runs). */
    @Test
    void stepOverFromTheToolbarStepsEveryTime() throws Exception {
        Workbench.prepare();
        for (int round = 0; round < 4; round++) {
            stepFourTimes();
            end();
            launch = null;
        }
    }

    private void stepFourTimes() throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "loop, step button");
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("loop").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, true);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), "dev.multitrace.dsf.ui.localApplicationDelegate");
        launch = assertInstanceOf(MultitraceLaunch.class, wc.launch(ILaunchManager.DEBUG_MODE, null));
        DsfServicesTracker tracker = launch.getSession().getExecutor().submit(() -> new DsfServicesTracker(
                FrameworkUtil.getBundle(StepButtonTest.class).getBundleContext(), launch.getSession().getId())).get(10, TimeUnit.SECONDS);
        DebugSession s = Workbench.waitFor(Duration.ofSeconds(30), "the session", () -> {
            try {
                return launch.getSession().getExecutor().submit(() -> {
                    DebugSessionService b = tracker.getService(DebugSessionService.class);
                    return b == null ? null : b.debugSession();
                }).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                return null;
            }
        });
        int pid = s.pid();
        AtomicInteger steps = new AtomicInteger();
        AtomicInteger stepStops = new AtomicInteger();
        s.addListener(new SessionListener() {
            @Override
            public void threadResumed(int tid, StepKind step) {
                if (step != null) {
                    steps.incrementAndGet();
                }
            }

            @Override
            public void threadStopped(int tid, StopReason reason) {
                if (reason.kind() == StopReason.Kind.STEP) {
                    stepStops.incrementAndGet();
                }
            }
        });
        Workbench.waitUntil("stopped at main", Duration.ofSeconds(30), () -> s.isHeld(pid));
        for (int i = 1; i <= 4; i++) {
            selectThread(s);
            // DSF's stepping controller drops a step asked within its minimum interval after the last one when no
            // step is in progress (PREF_MIN_STEP_INTERVAL, for DSF-GDB alike): a user reads the line first.
            Workbench.spin(300);
            IHandlerService handlers = PlatformUI.getWorkbench().getService(IHandlerService.class);
            int want = i;
            Workbench.waitUntil("Step Over ran (" + i + ")", Duration.ofSeconds(10), () -> {
                try {
                    handlers.executeCommand("org.eclipse.debug.ui.commands.StepOver", null);
                    return true;
                } catch (Exception e) {
                    return false;
                }
            });
            Workbench.waitUntil("step " + i + " reached the session and ended (steps " + steps + ", step stops " + stepStops
                    + ", state " + s.stateLabel(pid) + "; " + diagnose() + ")", Duration.ofSeconds(10),
                    () -> stepStops.get() >= want && s.isHeld(pid));
        }
        launch.getSession().getExecutor().submit(() -> {
            tracker.dispose();
            return null;
        }).get(10, TimeUnit.SECONDS);
    }

    private String diagnose() {
        try {
            Object context = DebugUITools.getDebugContext();
            Object handler = context == null ? null : Adapters.adapt(context, org.eclipse.debug.core.commands.IStepOverHandler.class);
            org.eclipse.cdt.dsf.debug.ui.viewmodel.SteppingController sc = (org.eclipse.cdt.dsf.debug.ui.viewmodel.SteppingController) launch.getSession()
                    .getModelAdapter(org.eclipse.cdt.dsf.debug.ui.viewmodel.SteppingController.class);
            String rc = launch.getSession().getExecutor().submit(() -> {
                DsfServicesTracker t = new DsfServicesTracker(FrameworkUtil.getBundle(StepButtonTest.class).getBundleContext(),
                        launch.getSession().getId());
                try {
                    org.eclipse.cdt.dsf.debug.service.IRunControl r = t.getService(org.eclipse.cdt.dsf.debug.service.IRunControl.class);
                    if (!(context instanceof IDMVMContext vmc)) {
                        return "context " + context;
                    }
                    var exec = org.eclipse.cdt.dsf.datamodel.DMContexts.getAncestorOfType(vmc.getDMContext(),
                            org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext.class);
                    return "context " + vmc.getDMContext() + ", exec " + exec + ", suspended " + r.isSuspended(exec) + ", stepping "
                            + r.isStepping(exec) + ", pending steps " + (sc == null ? "no controller" : sc.getPendingStepCount(exec))
                            + ", timed out " + (sc == null ? "" : sc.isSteppingTimedOut(exec));
                } finally {
                    t.dispose();
                }
            }).get(5, TimeUnit.SECONDS);
            return "handler " + handler + "; " + rc;
        } catch (Exception e) {
            return "diagnosis failed: " + e;
        }
    }

    private void selectThread(DebugSession session) throws Exception {
        IDebugView debug = (IDebugView) Workbench.page().showView(IDebugUIConstants.ID_DEBUG_VIEW);
        Tree tree = (Tree) debug.getViewer().getControl();
        TreeItem item = Workbench.waitFor(Duration.ofSeconds(20), "the Debug view shows the thread", () -> {
            for (TreeItem i : TreeItems.expandAll(tree)) {
                if (i.getData() instanceof IDMVMContext vmc && vmc.getDMContext() instanceof dev.multitrace.dsf.ThreadContext t
                        && t.tid() == session.pid()) {
                    return i;
                }
            }
            return null;
        });
        tree.setSelection(item);
        Event e = new Event();
        e.item = item;
        tree.notifyListeners(SWT.Selection, e);
        Workbench.waitUntil("the debug context is the thread", Duration.ofSeconds(10), () -> {
            Object context = DebugUITools.getDebugContext();
            SessionThread t = context == null ? null : Adapters.adapt(context, SessionThread.class);
            return t != null && t.session() == session;
        });
    }
}
