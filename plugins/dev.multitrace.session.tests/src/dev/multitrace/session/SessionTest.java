package dev.multitrace.session;

import static dev.multitrace.session.Samples.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.Signals;
import dev.multitrace.testing.TestPrograms;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The debugger session on real programs: stop at main, line steps, breakpoints, signal injection. */
class SessionTest {

    private DebugSession session;
    private final Stops stops = new Stops();

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    private int startAtMain(String program) throws Exception {
        session = Samples.atMain(Samples.spec(program), stops);
        return session.pid();
    }

    private FrameInfo top(int tid) {
        return session.frames(tid).get(0);
    }

    private int line(int tid) {
        return top(tid).source().orElseThrow().line();
    }

    /** A breakpoint named {@code name} on the line of loop.c marked {@code label}, with no condition or filter. */
    private CodeBreakpoint loopLine(String name, String label) {
        return new CodeBreakpoint(name, session.symbols().addressesFor("loop.c", TestPrograms.mark("loop", label)), null, 0, Set.of(), null);
    }

    /** Resumes {@code pid} until it hits {@code bp}, then removes {@code bp}: a run-to-line. */
    private void runOnceTo(int pid, CodeBreakpoint bp) throws Exception {
        session.addBreakpoint(bp);
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        session.removeBreakpoint(bp);
    }

    @Test
    void stopsAtMainOnTheLineTheLineTableGives() throws Exception {
        int pid = startAtMain("loop");
        FrameInfo f = top(pid);
        assertEquals("main", f.functionName());
        assertEquals(session.symbols().lineAt(f.pc()).orElseThrow().line(), f.source().orElseThrow().line());
        assertEquals(TestPrograms.mark("loop", "main-first"), f.source().orElseThrow().line());
        assertEquals("loop.c", f.source().orElseThrow().fileName());
        assertEquals("at main", session.stateLabel(pid));
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    /**
     * Stopped in the body of an always-inlined function: the stack shows the inlined function as a frame of its
     * own at the body's line, then main at the line of the inlined call (same pc, as gdb shows it).
     */
    /**
     * The stack, registers and variables read at a stop are kept for it (HeldStop), and a write at the same
     * stop makes them read again: after moving the pc and assigning a local, the next question sees both.
     */
    @Test
    void aWriteAtTheStopIsSeenByTheNextFramesRegistersAndVariables() throws Exception {
        int pid = startAtMain("loop");
        runOnceTo(pid, loopLine("loop.c:count", "loop-count"));
        assertEquals("0", session.variables(pid, 0).evaluate("total").text());
        assertEquals(TestPrograms.mark("loop", "loop-count"), line(pid));
        long print = session.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "print"))[0];
        session.variables(pid, 0).assign("total", "41");
        session.moveTo(pid, print);
        assertEquals(print, session.registers(pid).pc());
        assertEquals(print, top(pid).pc());
        assertEquals(TestPrograms.mark("loop", "print"), line(pid));
        assertEquals("41", session.variables(pid, 0).evaluate("total").text());
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void aStopInAnInlinedFunctionShowsItAsAFrameAboveItsCaller() throws Exception {
        int pid = startAtMain("inlined");
        int body = TestPrograms.mark("inlined", "inline-body");
        CodeBreakpoint bp = new CodeBreakpoint("inlined.c:body", session.symbols().addressesFor("inlined.c", body), null, 0, Set.of(), null);
        session.addBreakpoint(bp);
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        session.removeBreakpoint(bp);
        List<FrameInfo> frames = session.frames(pid);
        assertEquals("scaled", frames.get(0).functionName(), frames::toString);
        assertTrue(frames.get(0).inlined(), frames::toString);
        assertEquals(body, frames.get(0).source().orElseThrow().line(), frames::toString);
        assertEquals("main", frames.get(1).functionName(), frames::toString);
        assertTrue(!frames.get(1).inlined(), frames::toString);
        assertEquals(frames.get(0).pc(), frames.get(1).pc(), frames::toString);
        assertEquals(TestPrograms.mark("inlined", "inline-call"), frames.get(1).source().orElseThrow().line(), frames::toString);
        assertEquals("main() at inlined.c:" + TestPrograms.mark("inlined", "inline-call"), frames.get(1).label());
        session.resumeAll();
        assertEquals(5, Samples.exit(session).code());
    }

    @Test
    void stepOverThreeLinesStepsOverCalls() throws Exception {
        int pid = startAtMain("loop");
        int[] expected = {TestPrograms.mark("loop", "after-signal"), TestPrograms.mark("loop", "for"), TestPrograms.mark("loop", "loop-call")};
        for (int want : expected) {
            session.step(pid, StepKind.OVER);
            stops.next(pid, StopReason.Kind.STEP);
            assertEquals(want, line(pid));
            assertEquals("main", top(pid).functionName());
        }
        // Over the call to square: the next line of main, not square's.
        session.step(pid, StepKind.OVER);
        stops.next(pid, StopReason.Kind.STEP);
        assertEquals(TestPrograms.mark("loop", "loop-count"), line(pid));
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void stepIntoEntersTheCalleePastItsPrologueAndStepReturnComesBack() throws Exception {
        int pid = startAtMain("loop");
        runOnceTo(pid, loopLine("loop.c:call", "loop-call"));
        session.step(pid, StepKind.INTO);
        stops.next(pid, StopReason.Kind.STEP);
        assertEquals("square", top(pid).functionName());
        assertEquals(TestPrograms.mark("loop", "square-body"), line(pid));
        List<FrameInfo> frames = session.frames(pid);
        assertEquals("main", frames.get(1).functionName(), () -> frames.toString());
        assertEquals(TestPrograms.mark("loop", "loop-call"), frames.get(1).source().orElseThrow().line());
        session.step(pid, StepKind.RETURN);
        stops.next(pid, StopReason.Kind.STEP);
        assertEquals("main", top(pid).functionName());
        assertEquals(TestPrograms.mark("loop", "loop-call"), line(pid));
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void aBreakpointInTheCalleeEndsAStepOverThere() throws Exception {
        int pid = startAtMain("loop");
        runOnceTo(pid, loopLine("call", "loop-call"));
        session.addBreakpoint(loopLine("square", "square-body"));
        session.step(pid, StepKind.OVER);
        StopReason why = stops.next(pid, StopReason.Kind.BREAKPOINT).reason();
        assertEquals("square", why.detail());
        assertEquals("square", top(pid).functionName());
        // The step's temporary breakpoint at the return address is gone: the next stop is the same breakpoint again.
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        assertEquals(TestPrograms.mark("loop", "square-body"), line(pid));
        session.removeBreakpoint(session.breakpoints().get(0));
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void lineBreakpointInALoopHitsOncePerIteration() throws Exception {
        int pid = startAtMain("loop");
        long[] at = session.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "loop-count"));
        assertTrue(at.length > 0);
        CodeBreakpoint bp = new CodeBreakpoint("loop.c:count", at, null, 0, Set.of(), null);
        session.addBreakpoint(bp);
        for (int i = 0; i < 5; i++) {
            session.resumeAll();
            stops.next(pid, StopReason.Kind.BREAKPOINT);
            assertEquals(TestPrograms.mark("loop", "loop-count"), line(pid));
            assertEquals(i, Expression.parse("*(int*)&counter").evaluate(session.context(pid)));
        }
        assertEquals(5, session.hitCount(bp));
        session.resumeAll();
        ExitStatus st = Samples.exit(session);
        assertEquals(7, st.code());
        assertTrue(Samples.readAll(session.process().stdout()).contains("counter=5"));
    }

    @Test
    void conditionAndHitCountDecideWhichHitsStop() throws Exception {
        int pid = startAtMain("loop");
        long[] at = session.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "loop-count"));
        session.addBreakpoint(new CodeBreakpoint("cond", at, BreakpointCondition.of("*(int*)&counter >= 1 && $rsp != 0"), 2,
                Set.of(), null));
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        // counter >= 1 holds from the 2nd iteration; the hit count 2 skips the first passing hit.
        assertEquals(2, Expression.parse("*(int*)&counter").evaluate(session.context(pid)));
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        assertEquals(3, Expression.parse("*(int*)&counter").evaluate(session.context(pid)));
        session.removeBreakpoint(session.breakpoints().get(0));
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void resumeWithSigusr1RunsTheProgramsHandler() throws Exception {
        int pid = startAtMain("loop");
        session.step(pid, StepKind.OVER); // past signal(): the handler is installed
        stops.next(pid, StopReason.Kind.STEP);
        session.resumeWithSignal(pid, Signals.number("SIGUSR1"));
        assertEquals(7, Samples.exit(session).code());
        String out = Samples.readAll(session.process().stdout());
        assertTrue(out.contains("handler ran: SIGUSR1"), out);
        assertTrue(out.contains("usr1=1"), out);
    }

    @Test
    void theStackInASignalHandlerShowsTheSignalFrameAndMain() throws Exception {
        int pid = startAtMain("loop");
        session.step(pid, StepKind.OVER);
        stops.next(pid, StopReason.Kind.STEP);
        session.addBreakpoint(loopLine("handler", "handler"));
        session.resumeWithSignal(pid, Signals.number("SIGUSR1"));
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        List<FrameInfo> frames = session.frames(pid);
        assertEquals("on_usr1", frames.get(0).functionName(), frames::toString);
        assertTrue(frames.get(1).signalFrame(), frames::toString);
        assertEquals("<signal handler called>", frames.get(1).label());
        assertEquals("main", frames.get(2).functionName(), frames::toString);
        assertEquals(TestPrograms.mark("loop", "after-signal"), frames.get(2).source().orElseThrow().line());
        session.removeBreakpoint(session.breakpoints().get(0));
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }

    @Test
    void instructionStepMovesOneInstruction() throws Exception {
        int pid = startAtMain("loop");
        long pc = top(pid).pc();
        session.step(pid, StepKind.INSTRUCTION);
        stops.next(pid, StopReason.Kind.STEP);
        long next = top(pid).pc();
        assertTrue(next > pc && next - pc < 16, () -> Long.toHexString(pc) + " -> " + Long.toHexString(next));
        assertFalse(session.stateLabel(pid).isEmpty());
        session.resumeAll();
        assertEquals(7, Samples.exit(session).code());
    }
}
