package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.CodeBreakpoint;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IResumedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StateChangeReason;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.utils.Addr64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run to line / address and move to line / address ({@code IRunControl2}) on loop.c: the thread stops at the
 * line with no breakpoint left in the program's memory (read through /proc/PID/mem, where an int3 would show),
 * also when a user breakpoint ends the run first; a move sets the pc and the thread stays suspended.
 */
class RunToAndMoveToTest extends DsfProgramTestCase {

    private MultitraceRunControl runControl;
    private MultitraceStack stack;
    private DebugSession session;
    private String source;

    @BeforeEach
    void launchLoopToMain() throws Exception {
        launchToMain("loop", false);
        runControl = dsf.service(MultitraceRunControl.class);
        stack = dsf.service(MultitraceStack.class);
        session = dsf.debugSession();
        source = TestPrograms.source("loop").toString();
    }

    private IFrameDMData top() throws Exception {
        IFrameDMContext f = dsf.call(rm -> stack.getTopFrame(thread, rm));
        return dsf.call(rm -> stack.getFrameData(f, rm));
    }

    private long pc() throws Exception {
        return top().getAddress().getValue().longValue();
    }

    /** No int3 at any of {@code addresses}, read where the tracer's hiding does not apply. */
    private void assertNoInt3(long[] addresses) throws Exception {
        for (long a : addresses) {
            assertNotEquals((byte) 0xcc, OrphanProcess.readByte(process.pid(), a), "int3 left at 0x" + Long.toHexString(a));
        }
    }

    private ISuspendedDMEvent stopped() throws InterruptedException {
        return dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
    }

    @Test
    void runToLineStopsThereAndLeavesNoBreakpoint() throws Exception {
        int count = TestPrograms.mark("loop", "loop-count");
        long[] lineAddresses = session.symbols().addressesFor("loop.c", count);
        assertTrue(dsf.<Boolean>call(rm -> runControl.canRunToLine(thread, source, count, rm)));
        assertFalse(dsf.<Boolean>call(rm -> runControl.canRunToLine(thread, source, 1, rm)), "line 1 has no code");

        dsf.run(rm -> runControl.runToLine(thread, source, count, false, rm));
        dsf.events.next(IResumedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(StateChangeReason.BREAKPOINT, stopped().getReason());
        assertEquals(count, top().getLine());
        long pc = pc();
        assertTrue(Arrays.stream(lineAddresses).anyMatch(a -> a == pc), "pc 0x" + Long.toHexString(pc) + " is the line's");
        assertNoInt3(lineAddresses);
        assertEquals(List.of(), session.breakpoints(), "no breakpoint left in the session");

        // run to an address: square's body line, by its address
        long[] body = session.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "square-body"));
        dsf.run(rm -> runControl.runToAddress(thread, new Addr64(Long.toString(body[0])), false, rm));
        stopped();
        assertEquals(body[0], pc());
        assertEquals("square", top().getFunction());
        assertNoInt3(body);
        assertEquals(List.of(), session.breakpoints());
    }

    @Test
    void aBreakpointOnTheWayEndsTheRunAndItsBreakpointGoes() throws Exception {
        long[] body = session.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "square-body"));
        CodeBreakpoint user = new CodeBreakpoint("square-body", body, null, 0, Set.of(), null);
        session.addBreakpoint(user);
        int print = TestPrograms.mark("loop", "print");
        long[] printAddresses = session.symbols().addressesFor("loop.c", print);
        dsf.run(rm -> runControl.runToLine(thread, source, print, false, rm));
        stopped();
        assertEquals(body[0], pc(), "stopped at the user's breakpoint first");
        assertNoInt3(printAddresses);
        assertEquals(List.of(user), session.breakpoints(), "only the user's breakpoint is left");
        session.removeBreakpoint(user);
        dsf.run(rm -> runControl.resume(thread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
    }

    @Test
    void moveToLineSetsThePcAndTheThreadStaysSuspended() throws Exception {
        int call = TestPrograms.mark("loop", "loop-call");
        int count = TestPrograms.mark("loop", "loop-count");
        dsf.run(rm -> runControl.runToLine(thread, source, count, false, rm));
        stopped();
        long before = pc();

        assertTrue(dsf.<Boolean>call(rm -> runControl.canMoveToLine(thread, source, call, false, rm)));
        dsf.run(rm -> runControl.moveToLine(thread, source, call, false, rm));
        stopped();
        long[] callAddresses = session.symbols().addressesFor("loop.c", call);
        long expected = Arrays.stream(callAddresses).min().getAsLong();
        assertEquals(expected, pc(), "the pc is the line's first address");
        assertNotEquals(before, pc());
        assertEquals(call, top().getLine());
        assertTrue(runControl.isSuspended(thread));
        assertEquals(expected, session.registers(thread.tid()).pc(), "the thread's own register");

        // a line of another function is refused, and nothing moves
        int body = TestPrograms.mark("loop", "square-body");
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> dsf.run(rm -> runControl.moveToLine(thread, source, body, false, rm)));
        assertTrue(refused.getCause().getMessage().contains("not in main"), refused.getCause().getMessage());
        assertEquals(expected, pc());

        // move to an address, then let it run to its end: the program still works
        dsf.run(rm -> runControl.moveToAddress(thread, new Addr64(Long.toString(before)), false, rm));
        stopped();
        assertEquals(before, pc());
        dsf.run(rm -> runControl.resume(thread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
    }
}
