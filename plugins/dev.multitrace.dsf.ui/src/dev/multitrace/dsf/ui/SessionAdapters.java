package dev.multitrace.dsf.ui;

import org.eclipse.cdt.dsf.debug.ui.actions.DsfResumeCommand;
import org.eclipse.cdt.dsf.debug.ui.actions.DsfStepIntoCommand;
import org.eclipse.cdt.dsf.debug.ui.actions.DsfStepIntoSelectionCommand;
import org.eclipse.cdt.dsf.debug.ui.actions.DsfStepOverCommand;
import org.eclipse.cdt.dsf.debug.ui.actions.DsfStepReturnCommand;
import org.eclipse.cdt.dsf.debug.ui.actions.DsfSteppingModeTarget;
import org.eclipse.cdt.dsf.debug.ui.actions.DsfSuspendCommand;
import org.eclipse.cdt.dsf.debug.ui.contexts.DsfSuspendTrigger;
import org.eclipse.cdt.dsf.debug.ui.sourcelookup.DsfSourceDisplayAdapter;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.SteppingController;
import org.eclipse.cdt.dsf.debug.ui.viewmodel.launch.DefaultDsfModelSelectionPolicyFactory;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.debug.core.model.IStepIntoSelectionHandler;
import org.eclipse.cdt.debug.core.model.ISteppingModeTarget;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.debug.core.DebugException;
import org.eclipse.debug.core.commands.IDebugCommandRequest;
import org.eclipse.debug.core.commands.IDisconnectHandler;
import org.eclipse.debug.core.commands.IEnabledStateRequest;
import org.eclipse.debug.core.commands.IResumeHandler;
import org.eclipse.debug.core.commands.IStepIntoHandler;
import org.eclipse.debug.core.commands.IStepOverHandler;
import org.eclipse.debug.core.commands.IStepReturnHandler;
import org.eclipse.debug.core.commands.ISuspendHandler;
import org.eclipse.debug.core.commands.ITerminateHandler;
import org.eclipse.debug.core.model.IDebugModelProvider;
import org.eclipse.debug.core.model.IMemoryBlockRetrieval;
import org.eclipse.debug.core.sourcelookup.ISourceLookupDirector;
import org.eclipse.debug.internal.ui.viewers.model.provisional.IModelSelectionPolicyFactory;
import org.eclipse.debug.ui.sourcelookup.ISourceDisplay;
import org.eclipse.ui.IWorkbenchPage;

/**
 * The UI adapters of one Multitrace launch, live or postmortem, registered with its DSF session so that every element of its
 * view model has them: the view model, DSF's run control commands (instruction stepping through CDT's
 * stepping mode; CDT's Step Into Selection, which resolves the editor's selection and calls {@code IRunControl3}), terminate, source display, the selection policy, the suspend trigger and the Memory view's
 * monitors.
 */
@SuppressWarnings("restriction")
final class SessionAdapters {

    /** The debug model of DSF elements of Multitrace sessions. */
    static final String DEBUG_MODEL = "dev.multitrace.dsf";

    final SessionLaunch launch;
    final SteppingController steppingController;
    final MultitraceVMAdapter viewModel;
    final SourceDisplay sourceDisplay;
    final DsfSteppingModeTarget steppingMode = new DsfSteppingModeTarget();
    final DsfStepIntoCommand stepInto;
    final DsfStepOverCommand stepOver;
    final DsfStepReturnCommand stepReturn;
    final DsfStepIntoSelectionCommand stepIntoSelection;
    final DsfSuspendCommand suspend;
    final DsfResumeCommand resume;
    final ITerminateHandler terminate;
    final DsfSuspendTrigger suspendTrigger;
    /** Null if DSF could not make it (its trackers' filters): the session then has no Memory view monitors. */
    final MemoryMonitors memory;

    SessionAdapters(SessionLaunch launch) {
        this.launch = launch;
        DsfSession session = launch.getSession();
        steppingController = new SteppingController(session);
        session.registerModelAdapter(SteppingController.class, steppingController);
        viewModel = new MultitraceVMAdapter(session, steppingController);
        sourceDisplay = new SourceDisplay();
        sourceDisplay.adapter(); // at once if the locator is set already: it then shows the source of each stop
        session.registerModelAdapter(ISourceDisplay.class, sourceDisplay);
        session.registerModelAdapter(IModelSelectionPolicyFactory.class, new DefaultDsfModelSelectionPolicyFactory());
        session.registerModelAdapter(ISteppingModeTarget.class, steppingMode);
        stepInto = new DsfStepIntoCommand(session, steppingMode);
        stepOver = new DsfStepOverCommand(session, steppingMode);
        stepReturn = new DsfStepReturnCommand(session);
        stepIntoSelection = new DsfStepIntoSelectionCommand(session);
        suspend = new DsfSuspendCommand(session);
        resume = new DsfResumeCommand(session);
        terminate = new TerminateCommand(launch);
        session.registerModelAdapter(IStepIntoHandler.class, stepInto);
        session.registerModelAdapter(IStepOverHandler.class, stepOver);
        session.registerModelAdapter(IStepReturnHandler.class, stepReturn);
        session.registerModelAdapter(IStepIntoSelectionHandler.class, stepIntoSelection);
        session.registerModelAdapter(ISuspendHandler.class, suspend);
        session.registerModelAdapter(IResumeHandler.class, resume);
        session.registerModelAdapter(ITerminateHandler.class, terminate);
        session.registerModelAdapter(IDisconnectHandler.class, new DisconnectCommand(launch));
        session.registerModelAdapter(IDebugModelProvider.class, (IDebugModelProvider) () -> new String[] { DEBUG_MODEL });
        suspendTrigger = new DsfSuspendTrigger(session, launch);
        memory = memoryMonitors(launch);
        sessionEnded = ended -> {
            if (ended == session) {
                sessionOver();
            }
        };
        DsfSession.addSessionEndedListener(sessionEnded);
        if (!DsfSession.isSessionActive(session.getId())) {
            sessionOver(); // it ended before the listener was there
        }
    }

    /** The session's memory monitors, registered and hearing its events (from the executor's next task on). */
    private static MemoryMonitors memoryMonitors(SessionLaunch launch) {
        DsfSession session = launch.getSession();
        MemoryMonitors m;
        try {
            m = new MemoryMonitors(launch);
        } catch (DebugException e) {
            org.eclipse.core.runtime.ILog.of(SessionAdapters.class).log(e.getStatus());
            return null;
        }
        session.registerModelAdapter(IMemoryBlockRetrieval.class, m);
        try {
            session.getExecutor().execute(() -> session.addServiceEventListener(m, null));
        } catch (java.util.concurrent.RejectedExecutionException ended) {
            m.end(); // the session ended before its adapters were asked for
        }
        return m;
    }

    /** The run control commands a session offers while it lives, by their handler types. */
    private static final Class<?>[] RUN_CONTROL_COMMANDS = { IStepIntoHandler.class, IStepOverHandler.class,
            IStepReturnHandler.class, IStepIntoSelectionHandler.class, ISuspendHandler.class, IResumeHandler.class };

    /**
     * The session ended (on its executor, the last work it takes): its run control commands go. The Debug view
     * may still have one of its frames selected, and asking a command of it whether it is enabled would submit
     * work to the executor that no longer takes any (an error in the log at each selection change). Its memory
     * monitors go too (they would read through the ended session). The view model and the source display stay
     * while the ended launch is shown.
     */
    private final DsfSession.SessionEndedListener sessionEnded;

    private void sessionOver() {
        unregister(RUN_CONTROL_COMMANDS);
        if (memory != null) {
            memory.end();
        }
    }

    private void unregister(Class<?>[] adapterTypes) {
        for (Class<?> c : adapterTypes) {
            launch.getSession().unregisterModelAdapter(c);
        }
    }

    void dispose() {
        DsfSession.removeSessionEndedListener(sessionEnded);
        sessionOver();
        unregister(new Class<?>[] { SteppingController.class, ISourceDisplay.class, IModelSelectionPolicyFactory.class,
                ISteppingModeTarget.class, ITerminateHandler.class, IDisconnectHandler.class, IDebugModelProvider.class,
                IMemoryBlockRetrieval.class });
        if (memory != null) {
            DsfSession session = launch.getSession();
            try {
                session.getExecutor().execute(() -> session.removeServiceEventListener(memory));
            } catch (java.util.concurrent.RejectedExecutionException ended) {
                // the session ended: its listeners went with it
            }
        }
        viewModel.dispose();
        sourceDisplay.dispose();
        stepInto.dispose();
        stepOver.dispose();
        stepReturn.dispose();
        stepIntoSelection.dispose();
        suspend.dispose();
        resume.dispose();
        suspendTrigger.dispose();
        steppingController.dispose();
    }

    /**
     * DSF's source display over the launch's source lookup director, made when the launch has one: the platform sets
     * the configuration's locator on a launch its delegate made without one after the launch is added, and so after
     * the Debug view asked for these adapters.
     */
    private final class SourceDisplay implements ISourceDisplay {
        private DsfSourceDisplayAdapter adapter;
        private boolean disposed;

        synchronized DsfSourceDisplayAdapter adapter() {
            if (adapter == null && !disposed && launch.getSourceLocator() instanceof ISourceLookupDirector director) {
                adapter = new DsfSourceDisplayAdapter(launch.getSession(), director, steppingController);
            }
            return adapter;
        }

        @Override
        public void displaySource(Object element, IWorkbenchPage page, boolean forceSourceLookup) {
            DsfSourceDisplayAdapter a = adapter();
            if (a != null) {
                a.displaySource(element, page, forceSourceLookup);
            }
        }

        synchronized void dispose() {
            disposed = true;
            if (adapter != null) {
                adapter.dispose();
            }
        }
    }

    /**
     * Terminate: the launch kills its program (or detaches from an attached one) and ends its DSF session; a
     * postmortem launch only ends its session.
     */
    private record TerminateCommand(SessionLaunch launch) implements ITerminateHandler {
        @Override
        public void canExecute(IEnabledStateRequest request) {
            request.setEnabled(launch.canTerminate());
            request.done();
        }

        @Override
        public boolean execute(IDebugCommandRequest request) {
            return inJob("Terminate " + launch.getLaunchConfiguration().getName(), request, launch::terminate);
        }
    }

    /** Disconnect (an attached process only): the launch detaches; the program runs on, no breakpoint byte left. */
    private record DisconnectCommand(SessionLaunch launch) implements IDisconnectHandler {
        @Override
        public void canExecute(IEnabledStateRequest request) {
            request.setEnabled(launch.canDisconnect());
            request.done();
        }

        @Override
        public boolean execute(IDebugCommandRequest request) {
            return inJob("Disconnect " + launch.getLaunchConfiguration().getName(), request, launch::disconnect);
        }
    }

    /** What a launch does for a command: it may block (a detach waits for the tracer). */
    private interface LaunchAction {
        void run() throws DebugException;
    }

    /**
     * Runs {@code action} in a system job, not on the UI thread that asked, and answers {@code request} when it is
     * done; false: the command's request is answered later.
     */
    private static boolean inJob(String name, IDebugCommandRequest request, LaunchAction action) {
        Job job = Job.create(name, monitor -> {
            try {
                action.run();
            } catch (DebugException e) {
                request.setStatus(e.getStatus());
            }
            request.done();
            return Status.OK_STATUS;
        });
        job.setSystem(true);
        job.schedule();
        return false;
    }

    static IStatus error(String message, Throwable cause) {
        return new Status(IStatus.ERROR, MultitraceDsfUiPlugin.PLUGIN_ID, message, cause);
    }
}
