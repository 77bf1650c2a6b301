package dev.multitrace.dsf.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.eclipse.cdt.debug.core.ICDTLaunchConfigurationConstants;
import org.eclipse.cdt.dsf.concurrent.CountingRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.DataRequestMonitor;
import org.eclipse.cdt.dsf.concurrent.Query;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues.FormattedValueDMData;
import org.eclipse.cdt.dsf.debug.service.IRegisters;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMContext;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterDMData;
import org.eclipse.cdt.dsf.debug.service.IRegisters.IRegisterGroupDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IContainerDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IContainerSuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StepType;
import org.eclipse.cdt.dsf.debug.service.IStack;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMData;
import org.eclipse.cdt.dsf.service.DsfServiceEventHandler;
import org.eclipse.cdt.dsf.service.DsfServicesTracker;
import org.eclipse.cdt.dsf.service.DsfSession;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.ILaunch;
import org.eclipse.debug.core.ILaunchConfigurationWorkingCopy;
import org.eclipse.debug.core.ILaunchManager;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

/**
 * Not a test: the speed comparison of the Multitrace delegate with CDT's DSF-GDB delegate (real gdb) on the same
 * "C/C++ Application" configuration, through the same DSF service calls the Debug and Variables views make. Run on
 * demand only (its name is outside the test patterns): {@code -Dtest=DsfSpeedComparison}, see docs/performance.md.
 *
 * <p>(a) From {@code launch(DEBUG)} to suspended at main with the stack's frames (IStack getFrames, getFrameData of
 * each), the top frame's arguments and locals (IStack, getVariableData of each) and 24 general registers' natural
 * values (IRegisters) fetched. (b) From a step-over request to its suspended event plus the same fetch; the median of
 * {@code STEPS} steps. Each of {@code ROUNDS} rounds runs both debuggers, in the order A B then B A.
 */
class DsfSpeedComparison {

    private static final String MULTITRACE = "dev.multitrace.dsf.ui.localApplicationDelegate";
    private static final String DSF_GDB = "org.eclipse.cdt.dsf.gdb.launch.localCLaunch";
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    private static final int STEPS = Integer.getInteger("bench.steps", 100);
    /** The registers both debuggers have, fetched for the Registers view's share of the work. */
    private static final Set<String> REGISTERS = Set.of("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
            "r10", "r11", "r12", "r13", "r14", "r15", "rip", "eflags", "cs", "ss", "ds", "es", "fs", "gs");

    /** One debugger's numbers. */
    private static final class Side {
        final String name;
        final String delegate;
        final List<Long> launchNanos = new ArrayList<>();
        final List<Long> stepNanos = new ArrayList<>();
        /** Of each step: the fetch after the suspended event, whole. */
        final List<Long> fetchNanos = new ArrayList<>();
        /** Each step's total by the line it ended on (the loop's lines cost differently: a call, a branch). */
        final java.util.Map<Integer, List<Long>> stepNanosByLine = new java.util.TreeMap<>();
        /** The line of the last fetch's top frame. */
        int lastLine;
        /** Of each step: from the request to the suspended event only (the rest is the fetch). */
        final List<Long> stepEventNanos = new ArrayList<>();
        /** Of each step: from the request to the request's answer (the step started). */
        final List<Long> stepAnsweredNanos = new ArrayList<>();
        /** Of each fetch: looking the two services up (a Query each). */
        final List<Long> servicesNanos = new ArrayList<>();
        /** Of each fetch: the frames, the variables and the registers phases. */
        final List<Long> framesNanos = new ArrayList<>();
        final List<Long> variablesNanos = new ArrayList<>();
        final List<Long> registersNanos = new ArrayList<>();
        int frames;
        int variables;
        int registers;

        Side(String name, String delegate) {
            this.name = name;
            this.delegate = delegate;
        }
    }

    /** The DSF session a launch starts, and its suspended events. */
    public static final class Listener implements DsfSession.SessionStartedListener {
        volatile DsfSession session;
        final BlockingQueue<ISuspendedDMEvent> suspended = new LinkedBlockingQueue<>();

        @Override
        public void sessionStarted(DsfSession s) {
            if (session == null) {
                session = s;
                s.addServiceEventListener(this, null);
            }
        }

        @DsfServiceEventHandler
        public void eventDispatched(ISuspendedDMEvent e) {
            suspended.add(e);
        }
    }

    @Test
    void compare() throws Exception {
        Assumptions.assumeTrue(onPath("gdb"), "gdb is not installed");
        org.osgi.framework.Bundle workbench = org.eclipse.core.runtime.Platform.getBundle("org.eclipse.ui.workbench");
        Assumptions.assumeTrue(workbench != null && workbench.getState() == org.osgi.framework.Bundle.ACTIVE,
                "DSF-GDB's delegate needs a running workbench: run with -Pdsf-speed (docs/performance.md)");
        FrameworkUtil.getBundle(MultitraceLaunch.class).start();
        // The platform's "open the Debug perspective?" prompt on each launch would wait for an answer nobody gives:
        // its queued jobs kept every launch (with its session and symbols) in memory. Answered once, as a user does.
        org.eclipse.core.runtime.preferences.IEclipsePreferences debugUi = org.eclipse.core.runtime.preferences.InstanceScope.INSTANCE
                .getNode("org.eclipse.debug.ui");
        debugUi.put("org.eclipse.debug.ui.switch_to_perspective", "never");
        debugUi.put("org.eclipse.debug.ui.switch_perspective_on_suspend", "never");
        debugUi.flush();
        Side mt = new Side("Multitrace", MULTITRACE);
        Side gdb = new Side("DSF-GDB", DSF_GDB);
        runOnce(gdb, 5); // warm-up of both (JIT, gdb's and the program's pages), not counted
        runOnce(mt, 5);
        mt.launchNanos.clear();
        mt.stepNanos.clear();
        gdb.launchNanos.clear();
        gdb.stepNanos.clear();
        for (Side s : List.of(mt, gdb)) {
            s.stepEventNanos.clear();
            s.stepNanosByLine.clear();
            s.fetchNanos.clear();
            s.stepAnsweredNanos.clear();
            s.servicesNanos.clear();
            s.framesNanos.clear();
            s.variablesNanos.clear();
            s.registersNanos.clear();
        }
        for (int r = 0; r < ROUNDS; r++) {
            Side first = r % 2 == 0 ? mt : gdb;
            Side second = first == mt ? gdb : mt;
            runOnce(first, STEPS);
            runOnce(second, STEPS);
        }
        String report = report(mt, gdb);
        System.out.println(report);
        Path out = Path.of(System.getProperty("bench.out", "target/dsf-speed.txt"));
        Files.writeString(out, report);
        if (System.getenv("MULTITRACE_LEAK_DUMP") != null) { // what stays of the ended launches (docs/performance.md)
            System.gc();
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpHeap(System.getenv("MULTITRACE_LEAK_DUMP"), true);
        }
        assertTrue(mt.frames > 0 && gdb.frames > 0, "both fetched frames");
    }

    private void runOnce(Side side, int steps) throws Exception {
        ILaunchConfigurationWorkingCopy wc = DebugPlugin.getDefault().getLaunchManager()
                .getLaunchConfigurationType(ICDTLaunchConfigurationConstants.ID_LAUNCH_C_APP).newInstance(null, "stepbench " + side.name);
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_PROGRAM_NAME, TestPrograms.path("stepbench").toString());
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN, true);
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_DEBUGGER_STOP_AT_MAIN_SYMBOL, "main");
        // DSF-GDB: the program's I/O through gdb, not a pty of CDT's native spawner
        wc.setAttribute(ICDTLaunchConfigurationConstants.ATTR_USE_TERMINAL, false);
        wc.setPreferredLaunchDelegate(Set.of(ILaunchManager.DEBUG_MODE), side.delegate);
        Listener listener = new Listener();
        DsfSession.addSessionStartedListener(listener);
        ILaunch launch;
        long t0 = System.nanoTime();
        try {
            launch = wc.launch(ILaunchManager.DEBUG_MODE, null);
        } finally {
            DsfSession.removeSessionStartedListener(listener);
        }
        DsfSession session = listener.session;
        DsfServicesTracker tracker = new DsfServicesTracker(FrameworkUtil.getBundle(MultitraceLaunch.class).getBundleContext(),
                session.getId());
        try {
            IExecutionDMContext thread;
            do { // a stop before main (none is expected) is not the one measured
                thread = suspendedThread(listener, session);
            } while (!fetch(side, session, tracker, thread).equals("main"));
            side.launchNanos.add(System.nanoTime() - t0);
            for (int i = 0; i < steps; i++) {
                listener.suspended.clear();
                long s0 = System.nanoTime();
                IExecutionDMContext t = thread;
                call(session, (DataRequestMonitor<Object> rm) -> tracker.getService(IRunControl.class).step(t, StepType.STEP_OVER, rm));
                side.stepAnsweredNanos.add(System.nanoTime() - s0);
                thread = suspendedThread(listener, session);
                long s1 = System.nanoTime();
                side.stepEventNanos.add(s1 - s0);
                fetch(side, session, tracker, thread);
                long took = System.nanoTime() - s0;
                side.fetchNanos.add(System.nanoTime() - s1);
                side.stepNanos.add(took);
                side.stepNanosByLine.computeIfAbsent(side.lastLine, l -> new ArrayList<>()).add(took);
            }
        } finally {
            tracker.dispose();
            launch.terminate();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!launch.isTerminated() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            DebugPlugin.getDefault().getLaunchManager().removeLaunch(launch);
        }
    }

    /** The thread of the next suspended event (a container's: its triggering thread, or its first). */
    private static IExecutionDMContext suspendedThread(Listener listener, DsfSession session) throws Exception {
        ISuspendedDMEvent e = listener.suspended.poll(60, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no suspended event in 60 s");
        }
        IExecutionDMContext ctx = e.getDMContext();
        if (ctx instanceof IContainerDMContext container) {
            if (e instanceof IContainerSuspendedDMEvent c && c.getTriggeringContexts().length > 0) {
                return c.getTriggeringContexts()[0];
            }
            DsfServicesTracker tracker = new DsfServicesTracker(FrameworkUtil.getBundle(MultitraceLaunch.class).getBundleContext(),
                    session.getId());
            try {
                IExecutionDMContext[] threads = call(session, (DataRequestMonitor<IExecutionDMContext[]> rm) ->
                        tracker.getService(IRunControl.class).getExecutionContexts(container, rm));
                return threads[0];
            } finally {
                tracker.dispose();
            }
        }
        return ctx;
    }

    /**
     * What the Debug, Variables and Registers views ask at a stop: frames, the top frame's variables, registers.
     * Answers the top frame's function.
     */
    private static String fetch(Side side, DsfSession session, DsfServicesTracker tracker, IExecutionDMContext thread)
            throws Exception {
        long ts = System.nanoTime();
        IStack stack = call(session, (DataRequestMonitor<IStack> rm) -> {
            rm.setData(tracker.getService(IStack.class));
            rm.done();
        });
        IRegisters registers = call(session, (DataRequestMonitor<IRegisters> rm) -> {
            rm.setData(tracker.getService(IRegisters.class));
            rm.done();
        });
        long t0 = System.nanoTime();
        IFrameDMContext[] frames = call(session, (DataRequestMonitor<IFrameDMContext[]> rm) -> stack.getFrames(thread, rm));
        IFrameDMData[] frameData = all(session, frames, IFrameDMData[]::new, stack::getFrameData);
        long t1 = System.nanoTime();
        IVariableDMContext[] args = call(session, (DataRequestMonitor<IVariableDMContext[]> rm) -> stack.getArguments(frames[0], rm));
        IVariableDMContext[] locals = call(session, (DataRequestMonitor<IVariableDMContext[]> rm) -> stack.getLocals(frames[0], rm));
        IVariableDMContext[] vars = concat(args, locals);
        all(session, vars, IVariableDMData[]::new, stack::getVariableData);
        long t2 = System.nanoTime();
        IRegisterGroupDMContext[] groups = call(session,
                (DataRequestMonitor<IRegisterGroupDMContext[]> rm) -> registers.getRegisterGroups(frames[0], rm));
        IRegisterDMContext[] regs = call(session, (DataRequestMonitor<IRegisterDMContext[]> rm) -> registers.getRegisters(groups[0], rm));
        IRegisterDMData[] regData = all(session, regs, IRegisterDMData[]::new, registers::getRegisterData);
        List<IRegisterDMContext> shown = new ArrayList<>();
        for (int i = 0; i < regs.length; i++) {
            if (REGISTERS.contains(regData[i].getName())) {
                shown.add(regs[i]);
            }
        }
        FormattedValueDMData[] values = all(session, shown.toArray(IRegisterDMContext[]::new), FormattedValueDMData[]::new,
                (r, rm) -> registers.getFormattedExpressionValue(registers.getFormattedValueContext(r, IFormattedValues.NATURAL_FORMAT), rm));
        long t3 = System.nanoTime();
        side.servicesNanos.add(t0 - ts);
        side.framesNanos.add(t1 - t0);
        side.variablesNanos.add(t2 - t1);
        side.registersNanos.add(t3 - t2);
        side.frames = frameData.length;
        side.variables = vars.length;
        side.registers = values.length;
        assertTrue(frameData[0].getFunction() != null && !frameData[0].getFunction().isEmpty(), "the top frame has a function");
        side.lastLine = frameData[0].getLine();
        return frameData[0].getFunction();
    }

    private static IVariableDMContext[] concat(IVariableDMContext[] a, IVariableDMContext[] b) {
        IVariableDMContext[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Asks {@code request} for every element at once (as a view does) and waits for all the answers. */
    private static <C, D> D[] all(DsfSession session, C[] elements, java.util.function.IntFunction<D[]> array,
            BiConsumer<C, DataRequestMonitor<D>> request) throws Exception {
        D[] out = array.apply(elements.length);
        call(session, (DataRequestMonitor<Object> rm) -> {
            CountingRequestMonitor crm = new CountingRequestMonitor(session.getExecutor(), rm);
            crm.setDoneCount(elements.length);
            for (int i = 0; i < elements.length; i++) {
                int at = i;
                request.accept(elements[i], new DataRequestMonitor<D>(session.getExecutor(), crm) {
                    @Override
                    protected void handleSuccess() {
                        out[at] = getData();
                        super.handleSuccess();
                    }
                });
            }
        });
        return out;
    }

    private static <T> T call(DsfSession session, java.util.function.Consumer<DataRequestMonitor<T>> request) throws Exception {
        Query<T> q = new Query<>() {
            @Override
            protected void execute(DataRequestMonitor<T> rm) {
                request.accept(rm);
            }
        };
        session.getExecutor().execute(q);
        try {
            return q.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause().getMessage(), e.getCause());
        }
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private static String report(Side mt, Side gdb) {
        long mtLaunch = median(mt.launchNanos);
        long gdbLaunch = median(gdb.launchNanos);
        long mtStep = median(mt.stepNanos);
        long gdbStep = median(gdb.stepNanos);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "DSF speed comparison: %d rounds, %d step-overs per round and debugger%n", ROUNDS, STEPS));
        for (Side s : List.of(mt, gdb)) {
            b.append(String.format(Locale.ROOT, "%-10s fetch per stop: %d frames, %d variables, %d registers%n", s.name, s.frames,
                    s.variables, s.registers));
        }
        b.append(String.format(Locale.ROOT, "(a) launch to suspended at main + fetch: Multitrace %s [%s..%s], DSF-GDB %s [%s..%s], gdb/Multitrace %.1fx%n",
                ms(mtLaunch), ms(min(mt.launchNanos)), ms(max(mt.launchNanos)), ms(gdbLaunch), ms(min(gdb.launchNanos)),
                ms(max(gdb.launchNanos)), (double) gdbLaunch / mtLaunch));
        b.append(String.format(Locale.ROOT, "(b) step over to suspended + fetch (median of %d): Multitrace %s, DSF-GDB %s, gdb/Multitrace %.1fx%n",
                mt.stepNanos.size(), ms(mtStep), ms(gdbStep), (double) gdbStep / mtStep));
        b.append(String.format(Locale.ROOT, "    of which step request to suspended event: Multitrace %s, DSF-GDB %s (request answered: %s / %s)%n",
                ms(median(mt.stepEventNanos)), ms(median(gdb.stepEventNanos)), ms(median(mt.stepAnsweredNanos)),
                ms(median(gdb.stepAnsweredNanos))));
        for (Side s : List.of(mt, gdb)) {
            b.append(String.format(Locale.ROOT, "    %s quartiles: step + fetch %s, step %s, fetch %s%n", s.name, quartiles(s.stepNanos),
                    quartiles(s.stepEventNanos), quartiles(s.fetchNanos)));
        }
        for (int line : mt.stepNanosByLine.keySet()) {
            List<Long> g = gdb.stepNanosByLine.getOrDefault(line, List.of());
            b.append(String.format(Locale.ROOT, "    steps ending on line %d: Multitrace %s (%d), DSF-GDB %s (%d)%n", line,
                    ms(median(mt.stepNanosByLine.get(line))), mt.stepNanosByLine.get(line).size(), g.isEmpty() ? "-" : ms(median(g)), g.size()));
        }
        b.append(String.format(Locale.ROOT, "    a fetch's phases (median of all stops): services %s / %s, frames %s / %s, variables %s / %s, registers %s / %s (Multitrace / DSF-GDB)%n",
                ms(median(mt.servicesNanos)), ms(median(gdb.servicesNanos)), ms(median(mt.framesNanos)), ms(median(gdb.framesNanos)), ms(median(mt.variablesNanos)), ms(median(gdb.variablesNanos)),
                ms(median(mt.registersNanos)), ms(median(gdb.registersNanos))));
        return b.toString();
    }

    private static String quartiles(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return ms(s.get(s.size() / 4)) + " / " + ms(s.get(s.size() / 2)) + " / " + ms(s.get(s.size() * 3 / 4));
    }

    private static long min(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).min().orElse(0);
    }

    private static long max(List<Long> xs) {
        return xs.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, program).canExecute()) {
                return true;
            }
        }
        return false;
    }
}
