package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.cdt.debug.core.CDIDebugModel;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMData2;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StateChangeReason;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.junit.jupiter.api.Test;

/**
 * CDT's event breakpoints ({@link CDIDebugModel#createEventBreakpoint}, with the event types of this
 * bundle's plugin.xml) followed by the {@link BreakpointsMediator2} into a real program (events.c): each
 * kind stops at its event, in the program's order, with the event in the Debug view's details.
 */
class CdtEventBreakpointsTest extends CdtBreakpointsTestCase {

    private void launchToMain(boolean cdtBreakpoints) throws Exception {
        launchToMain("events", cdtBreakpoints);
    }

    @Test
    void eachEventKindStopsAtItsEventInTheProgramsOrder() throws Exception {
        launchToMain(true);
        DebugSession s = dsf.debugSession();
        String[][] breakpoints = { { "threadStart", "" }, { "threadExit", "" }, { "signal", "SIGCHLD" },
                { "syscall", "getppid" }, { "exec", "" }, { "syscall", "231" } };
        for (String[] b : breakpoints) {
            CDIDebugModel.createEventBreakpoint("dev.multitrace.dsf.event." + b[0], b[1], true);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.catchpoints().size() < breakpoints.length) {
            assertTrue(System.nanoTime() < deadline, "the mediator planted " + s.catchpoints());
            Thread.sleep(10);
        }

        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        List<String> seen = new ArrayList<>();
        ThreadContext started = null;
        for (int i = 0; i < breakpoints.length; i++) {
            // all-stop: let the stop of the other threads complete before resuming (a resume while one is
            // still on its way leaves that thread suspended)
            while (!s.threads().stream().allMatch(s::isHeld)) {
                assertTrue(System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(30), "all threads stopped: " + s.threads());
                Thread.sleep(5);
            }
            dsf.run(rm -> runControl.resume(process, rm));
            IBreakpointHitDMEvent hit;
            try {
                hit = dsf.events.next(IBreakpointHitDMEvent.class, e -> true);
            } catch (AssertionError e) {
                List<String> states = new ArrayList<>();
                for (int tid : s.threads()) {
                    states.add(tid + ": " + s.stateLabel(tid));
                }
                throw new AssertionError("after " + seen + " (threads " + states + ", ended " + s.isEnded() + "): " + e.getMessage(), e);
            }
            assertEquals(StateChangeReason.EVENT_BREAKPOINT, hit.getReason());
            ThreadContext at = (ThreadContext) hit.getDMContext();
            IExecutionDMData data = dsf.call(rm -> runControl.getExecutionData(at, rm));
            String details = ((IExecutionDMData2) data).getDetails();
            seen.add(details);
            if (details.endsWith("thread start")) {
                started = at;
                assertNotEquals(thread, at, "the new thread stops, before its first instruction");
            } else if (details.endsWith("thread exit")) {
                assertEquals(started, at, "the thread that started exits");
            } else {
                assertEquals(thread, at);
            }
            if (details.endsWith("getppid")) {
                IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(at, rm));
                List<String> where = new ArrayList<>();
                int line = -1;
                for (IFrameDMContext f : frames) {
                    IFrameDMData d = dsf.call(rm -> stack.getFrameData(f, rm));
                    where.add(d.getFunction());
                    line = d.getFunction().equals("main") ? d.getLine() : line;
                }
                assertEquals(TestPrograms.mark("events", "getppid"), line, "main called it: " + where);
            }
        }
        assertEquals(List.of("Event breakpoint: thread start", "Event breakpoint: thread exit",
                "Event breakpoint: signal SIGCHLD", "Event breakpoint: syscall getppid", "Event breakpoint: exec",
                "Event breakpoint: syscall exit_group"), seen);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(4, s.process().exitStatus().get().code(), "the exec'd image ran to its end");
    }

    /**
     * CDT's gdb fork catchpoint (and this bundle's vfork event, which a fork does not hit): the thread that
     * forked stops, the Debug view's details name the child as gdb does, and the child is let go (untraced,
     * it has exited and waits for the held parent to collect it); resumed, the program runs to its end.
     */
    @Test
    void aForkEventBreakpointStopsTheForkingThreadNamingTheChild() throws Exception {
        launchToMain(true);
        DebugSession s = dsf.debugSession();
        CDIDebugModel.createEventBreakpoint("org.eclipse.cdt.debug.gdb.catch_fork", "", true);
        CDIDebugModel.createEventBreakpoint("dev.multitrace.dsf.event.vfork", "", true);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.catchpoints().size() < 2) {
            assertTrue(System.nanoTime() < deadline, "the mediator planted " + s.catchpoints());
            Thread.sleep(10);
        }
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));

        IBreakpointHitDMEvent hit = dsf.events.next(IBreakpointHitDMEvent.class, e -> true);
        assertEquals(StateChangeReason.EVENT_BREAKPOINT, hit.getReason());
        assertEquals(thread, hit.getDMContext(), "the thread that forked");
        IExecutionDMData data = dsf.call(rm -> runControl.getExecutionData((ThreadContext) hit.getDMContext(), rm));
        String details = ((IExecutionDMData2) data).getDetails();
        Matcher m = Pattern.compile("Event breakpoint: forked process (\\d+)").matcher(details);
        assertTrue(m.matches(), details);
        int child = Integer.parseInt(m.group(1));
        assertEquals(String.valueOf(s.pid()), OrphanProcess.status(child, "PPid"), "the child is the program's");
        String tracer = OrphanProcess.status(child, "TracerPid");
        while (!"0".equals(tracer) && System.nanoTime() < deadline) {
            Thread.sleep(5);
            tracer = OrphanProcess.status(child, "TracerPid");
        }
        assertEquals("0", tracer, "the child is let go");
        assertEquals(1, hit.getBreakpoints().length, "the fork event breakpoint");

        while (!s.threads().stream().allMatch(s::isHeld)) {
            assertTrue(System.nanoTime() < deadline, "all threads stopped: " + s.threads());
            Thread.sleep(5);
        }
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(4, s.process().exitStatus().get().code(), "no other stop: the exec'd image ran to its end");
    }

    @Test
    void aBadEventIsRefusedSayingWhy() throws Exception {
        launchToMain(false);
        MultitraceBreakpoints breakpoints = dsf.service(MultitraceBreakpoints.class);
        ExecutionException syscall = assertThrows(ExecutionException.class, () -> dsf.<IBreakpointDMContext>call(rm -> breakpoints.insertBreakpoint(process,
                Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.EVENT_KIND, MultitraceBreakpoints.EVENT, "syscall",
                        MultitraceBreakpoints.EVENT_ARGUMENT, "nosuch"), rm)));
        assertTrue(syscall.getMessage().contains("not a system call of x86-64 Linux: nosuch"), syscall.getMessage());
        ExecutionException signal = assertThrows(ExecutionException.class, () -> dsf.<IBreakpointDMContext>call(rm -> breakpoints.insertBreakpoint(process,
                Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.EVENT_KIND, MultitraceBreakpoints.EVENT, "signal",
                        MultitraceBreakpoints.EVENT_ARGUMENT, "SIGNOPE"), rm)));
        assertTrue(signal.getMessage().contains("not a signal: SIGNOPE"), signal.getMessage());
        ExecutionException event = assertThrows(ExecutionException.class, () -> dsf.<IBreakpointDMContext>call(rm -> breakpoints.insertBreakpoint(process,
                Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.EVENT_KIND, MultitraceBreakpoints.EVENT, "throw"), rm)));
        assertTrue(event.getMessage().contains("unknown event 'throw'"), event.getMessage());
        assertTrue(dsf.debugSession().catchpoints().isEmpty(), "nothing planted: " + dsf.debugSession().catchpoints());
        IBreakpointDMContext[] kept = dsf.call(rm -> breakpoints.getBreakpoints(process, rm));
        assertEquals(0, kept.length, "a refused breakpoint is not kept");
        System.out.println("refused: " + Arrays.asList(syscall.getCause().getMessage(), signal.getCause().getMessage()));
    }
}
