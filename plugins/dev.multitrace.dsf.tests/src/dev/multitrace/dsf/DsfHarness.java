package dev.multitrace.dsf;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.DefaultDsfExecutor;
import org.eclipse.cdt.dsf.concurrent.Query;
import org.eclipse.cdt.dsf.concurrent.RequestMonitor;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.IRunControl;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.cdt.dsf.service.IDsfService;
import org.eclipse.core.runtime.CoreException;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IBreakpointManager;

/**
 * A DSF session with the Multitrace services and no UI, as a test drives it: each request runs on the
 * session's executor (a {@link Query}) and the test waits for its answer; the run control events are queued.
 */
final class DsfHarness implements AutoCloseable {

    /** The run control events the services dispatched, in order. */
    public static final class Events {
        /** How long a test waits for an event before it fails. */
        static final int EVENT_WAIT_SECONDS = 20;
        private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

        @DsfServiceEventHandler
        public void on(IRunControl.ISuspendedDMEvent e) {
            queue.add(e);
        }

        @DsfServiceEventHandler
        public void on(IRunControl.IResumedDMEvent e) {
            queue.add(e);
        }

        @DsfServiceEventHandler
        public void on(IRunControl.IExitedDMEvent e) {
            queue.add(e);
        }

        @DsfServiceEventHandler
        public void on(IRunControl.IStartedDMEvent e) {
            queue.add(e);
        }

        /** The next event of {@code type} that {@code test} accepts; the others before it are dropped. */
        <E> E next(Class<E> type, Predicate<E> test) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EVENT_WAIT_SECONDS);
            while (true) {
                Object o = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (o == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " event within " + EVENT_WAIT_SECONDS + " s");
                }
                if (type.isInstance(o) && test.test(type.cast(o))) {
                    return type.cast(o);
                }
            }
        }
    }

    final DefaultDsfExecutor executor = new DefaultDsfExecutor("multitrace-dsf-test");
    final DsfSession session = DsfSession.startSession(executor, "dev.multitrace.dsf.tests");
    final MultitraceServices services;
    final Events events = new Events();

    DsfHarness(boolean cdtBreakpoints) throws Exception {
        services = new MultitraceServices(session, cdtBreakpoints);
        run(rm -> {
            session.addServiceEventListener(events, null);
            services.initialize(rm);
        });
    }

    /** The process {@link #launchToMain} started, and its main thread; null before. */
    ProcessContext process;
    ThreadContext thread;

    /**
     * Starts the test program {@code program} through IProcesses, stopped at main (a temporary breakpoint), and
     * waits for its main thread's stop, as most tests begin; that stop's event, for a test that checks it.
     */
    IRunControl.ISuspendedDMEvent launchToMain(String program) throws Exception {
        return launchToMain(program, Map.of());
    }

    /** As {@link #launchToMain(String)}, with more of IProcesses' launch attributes. */
    IRunControl.ISuspendedDMEvent launchToMain(String program, Map<String, Object> attributes) throws Exception {
        MultitraceProcesses processes = service(MultitraceProcesses.class);
        Map<String, Object> how = new java.util.HashMap<>(attributes);
        how.put(MultitraceProcesses.STOP_AT_MAIN, true);
        ProcessContext p = (ProcessContext) this.<IDMContext>call(rm -> processes.debugNewProcess(null,
                TestPrograms.path(program).toString(), how, rm));
        ThreadContext main = new ThreadContext(p, p.pid());
        process = p;
        thread = main;
        return events.next(IRunControl.ISuspendedDMEvent.class, e -> e.getDMContext().equals(main));
    }

    /** From now on CDT's breakpoints are followed into the process by the mediator (a harness with cdtBreakpoints). */
    void trackCdtBreakpoints() throws Exception {
        BreakpointsMediator2 mediator = service(BreakpointsMediator2.class);
        run(rm -> mediator.startTrackingBreakpoints(process, rm));
    }

    /** Removes every CDT breakpoint: the workspace's breakpoint manager outlives a test. */
    static void removeCdtBreakpoints() throws CoreException {
        IBreakpointManager manager = DebugPlugin.getDefault().getBreakpointManager();
        manager.removeBreakpoints(manager.getBreakpoints(), true);
    }

    /** Waits up to 30 s for {@code condition}: the mediator plants and removes breakpoints on a job. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** A request answered with data. */
    <T> T call(Consumer<DataRequestMonitor<T>> request) throws Exception {
        Query<T> q = new Query<>() {
            @Override
            protected void execute(DataRequestMonitor<T> rm) {
                request.accept(rm);
            }
        };
        executor.execute(q);
        return q.get(60, TimeUnit.SECONDS);
    }

    /** A request answered with done or a failure (a failure throws). */
    void run(Consumer<RequestMonitor> request) throws Exception {
        call((DataRequestMonitor<Object> rm) -> request.accept(rm));
    }

    /** The service of class {@code type}. */
    <S> S service(Class<S> type) {
        for (IDsfService s : services.services()) {
            if (type.isInstance(s)) {
                return type.cast(s);
            }
        }
        throw new IllegalArgumentException("no service " + type.getName());
    }

    /** The headless session under the services (for what a test checks beside them). */
    DebugSession debugSession() throws Exception {
        DebugSessionService backend = service(DebugSessionService.class);
        return call(rm -> {
            rm.setData(backend.debugSession());
            rm.done();
        });
    }

    @Override
    public void close() throws Exception {
        DebugSessionService backend = service(DebugSessionService.class);
        for (DebugSession s : call((DataRequestMonitor<java.util.List<DebugSession>> rm) -> {
            rm.setData(backend.liveSessions()); // the fork children it followed too
            rm.done();
        })) {
            if (s.isAttached()) {
                s.detach();
            } else {
                s.terminate();
            }
        }
        try {
            run(rm -> {
                session.removeServiceEventListener(events);
                services.shutdown(rm);
            });
        } finally {
            executor.execute(() -> DsfSession.endSession(session));
            executor.shutdown();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
