package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Step into selection on nested.c's {@code r = outer(inner(3), other(4));}: the chosen function is entered past
 * its prologue and the line's other calls run to their return (their results are the callee's arguments); a
 * function the line never calls ends the step on the next line, saying so; from another line the thread runs
 * to the line first and leaves no breakpoint behind.
 */
class StepIntoSelectionTest {

    private DebugSession session;
    private final Stops stops = new Stops();
    private int pid;

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    private void startAtMain() throws Exception {
        session = DebugSession.launch(Samples.spec("nested"), true);
        session.addListener(stops);
        session.start(DebugSession.StopMode.MAIN);
        pid = session.pid();
        stops.next(pid, StopReason.Kind.MAIN);
    }

    private static int mark(String marker) {
        return TestPrograms.mark("nested", marker);
    }

    private long[] line(String marker) {
        return session.symbols().addressesFor("nested.c", mark(marker));
    }

    /** Runs main to the nested calls' line with a breakpoint of the test's own, removed at the stop. */
    private void runToNestedCall() throws Exception {
        CodeBreakpoint bp = new CodeBreakpoint("nested.c:call", line("nested-call"), null, 0, Set.of(), null);
        session.addBreakpoint(bp);
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        session.removeBreakpoint(bp);
        assertEquals(mark("nested-call"), lineOf(session.frames(pid).get(0)));
    }

    private static int lineOf(FrameInfo f) {
        return f.source().orElseThrow().line();
    }

    private StopReason stepped() throws InterruptedException {
        return stops.next(pid, StopReason.Kind.STEP).reason();
    }

    /** Stopped in {@code function} at its body's first line, called from the nested calls' line of main. */
    private void assertEntered(String function, String bodyMarker) {
        List<FrameInfo> frames = session.frames(pid);
        assertEquals(function, frames.get(0).functionName(), frames::toString);
        assertEquals(mark(bodyMarker), lineOf(frames.get(0)), frames::toString);
        assertEquals("main", frames.get(1).functionName(), frames::toString);
        assertEquals(mark("nested-call"), lineOf(frames.get(1)), frames::toString);
    }

    private void finish() throws Exception {
        session.resumeAll();
        assertEquals(9, Samples.exit(session).code());
    }

    @Test
    void entersTheOuterCallAfterTheInnerCallsRanToTheirReturn() throws Exception {
        startAtMain();
        runToNestedCall();
        session.stepIntoSelection(pid, "outer");
        StopReason r = stepped();
        assertEquals("", r.detail());
        assertEntered("outer", "outer-body");
        // inner(3) and other(4) ran: their results are outer's arguments
        assertEquals("6", session.variables(pid, 0).evaluate("a").text());
        assertEquals("5", session.variables(pid, 0).evaluate("b").text());
        finish();
    }

    @Test
    void entersAnArgumentsCallWhicheverOrderTheCompilerChose() throws Exception {
        startAtMain();
        runToNestedCall();
        session.stepIntoSelection(pid, "other");
        assertEquals("", stepped().detail());
        assertEntered("other", "other-body");
        assertEquals("4", session.variables(pid, 0).evaluate("x").text());

        // back in main mid-line (step return), the line's remaining calls: inner is run over, outer entered
        session.step(pid, StepKind.RETURN);
        stepped();
        assertEquals("main", session.frames(pid).get(0).functionName());
        session.stepIntoSelection(pid, "inner");
        assertEquals("", stepped().detail());
        assertEntered("inner", "inner-body");
        assertEquals("3", session.variables(pid, 0).evaluate("x").text());
        finish();
    }

    @Test
    void aFunctionTheLineDoesNotCallEndsTheStepOnTheNextLineSayingSo() throws Exception {
        startAtMain();
        runToNestedCall();
        session.stepIntoSelection(pid, "never");
        StopReason r = stepped();
        assertEquals("(did not enter never)", r.detail());
        assertEquals("step (did not enter never)", session.stateLabel(pid));
        List<FrameInfo> frames = session.frames(pid);
        assertEquals("main", frames.get(0).functionName(), frames::toString);
        assertEquals(mark("second-call"), lineOf(frames.get(0)), frames::toString);
        assertEquals("605", session.variables(pid, 0).evaluate("r").text(), "the line's calls all ran");
        finish();
    }

    @Test
    void fromAnotherLineTheThreadRunsThereFirstAndNoBreakpointIsLeft() throws Exception {
        startAtMain();
        assertEquals(mark("main-first"), lineOf(session.frames(pid).get(0)));
        long[] call = line("nested-call");
        session.stepIntoSelection(pid, "outer", call);
        assertEquals("", stepped().detail());
        assertEntered("outer", "outer-body");
        for (long a : call) {
            assertTrue(OrphanProcess.readByte(pid, a) != (byte) 0xcc, "int3 left at 0x" + Long.toHexString(a));
        }
        assertEquals(List.of(), session.breakpoints());

        // the second line's inner(r), from inside outer: runs back to main's next line, then enters inner
        session.stepIntoSelection(pid, "inner", line("second-call"));
        assertEquals("", stepped().detail());
        List<FrameInfo> frames = session.frames(pid);
        assertEquals("inner", frames.get(0).functionName(), frames::toString);
        assertEquals(mark("second-call"), lineOf(frames.get(1)), frames::toString);
        assertEquals("605", session.variables(pid, 0).evaluate("x").text());
        finish();
    }

    @Test
    void aBreakpointOnTheWayToTheLineEndsTheStepThereAndItsBreakpointsGo() throws Exception {
        startAtMain();
        runToNestedCall();
        CodeBreakpoint inInner = new CodeBreakpoint("inner-body", line("inner-body"), null, 0, Set.of(), null);
        session.addBreakpoint(inInner);
        long[] print = line("print");
        session.stepIntoSelection(pid, "printf", print);
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        assertEquals("inner", session.frames(pid).get(0).functionName());
        for (long a : print) {
            assertTrue(OrphanProcess.readByte(pid, a) != (byte) 0xcc, "int3 left at 0x" + Long.toHexString(a));
        }
        session.removeBreakpoint(inInner);
        finish();
    }

    /** The first thread but {@code except} that the debugger holds for {@code kind}, waiting up to 30 s. */
    private int heldFor(StopReason.Kind kind, int except) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (int tid : session.threads()) {
                if (tid != except && session.stopReason(tid).filter(r -> r.kind() == kind).isPresent()) {
                    return tid;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no thread held for " + kind + " within 30 s");
    }

    /**
     * A thread asked to step into a function on a line it never reaches (main's, after it is joined) runs until it
     * exits: its step ends with it, and the line's temporary breakpoints go, though the process lives on.
     */
    @Test
    void aThreadThatExitsOnItsWayToTheLineLeavesNoBreakpoint() throws Exception {
        session = DebugSession.launch(Samples.spec("stepexit"), true);
        session.addListener(stops);
        session.start(DebugSession.StopMode.MAIN);
        pid = session.pid();
        stops.next(pid, StopReason.Kind.MAIN);
        CodeBreakpoint inWorker = new CodeBreakpoint("worker-call",
                session.symbols().addressesFor("stepexit.c", TestPrograms.mark("stepexit", "worker-call")), null, 0, Set.of(), null);
        session.addBreakpoint(inWorker);
        session.resumeAll();
        int worker = heldFor(StopReason.Kind.BREAKPOINT, pid);
        session.removeBreakpoint(inWorker);
        CodeBreakpoint afterJoin = new CodeBreakpoint("after-join",
                session.symbols().addressesFor("stepexit.c", TestPrograms.mark("stepexit", "after-join")), null, 0, Set.of(), null);
        session.addBreakpoint(afterJoin);

        long[] fin = session.symbols().addressesFor("stepexit.c", TestPrograms.mark("stepexit", "final"));
        session.stepIntoSelection(worker, "work", fin);
        assertEquals(pid, heldFor(StopReason.Kind.BREAKPOINT, -1), "main at after-join, the worker joined");
        assertTrue(!session.threads().contains(worker), "the worker exited");
        for (long a : fin) {
            assertTrue(OrphanProcess.readByte(pid, a) != (byte) 0xcc, "int3 left at 0x" + Long.toHexString(a));
        }
        assertEquals(List.of(afterJoin), session.breakpoints());
        session.removeBreakpoint(afterJoin);
        session.resumeAll();
        assertEquals(3, Samples.exit(session).code());
    }

    @Test
    void badRequestsAreRefused() throws Exception {
        startAtMain();
        assertThrows(IllegalArgumentException.class, () -> session.stepIntoSelection(pid, " "));
        assertThrows(IllegalArgumentException.class, () -> session.stepIntoSelection(pid, "outer", new long[0]));
        IllegalArgumentException noThread = assertThrows(IllegalArgumentException.class, () -> session.stepIntoSelection(-1, "outer"));
        assertTrue(noThread.getMessage().contains("not in process"), noThread.getMessage());
        assertEquals(StopReason.Kind.MAIN, session.stopReason(pid).orElseThrow().kind(), "refusals leave the thread where it was");
        finish();
    }

    @Test
    void namesMatchAsCdtMatchesThem() {
        assertTrue(Stepping.isSelected("outer", "outer"));
        assertTrue(Stepping.isSelected("outer.constprop.0", "outer"));
        assertTrue(Stepping.isSelected("ns::Shape::area", "Shape::area"));
        assertTrue(!Stepping.isSelected("outerx", "outer"));
        assertTrue(!Stepping.isSelected("inner", "outer"));
    }
}
