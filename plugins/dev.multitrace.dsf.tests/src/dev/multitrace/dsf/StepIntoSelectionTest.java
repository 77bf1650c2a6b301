package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.List;
import java.util.concurrent.ExecutionException;

import org.eclipse.cdt.core.model.IFunctionDeclaration;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMData2;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IResumedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StateChangeReason;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StepType;
import org.eclipse.cdt.dsf.debug.service.IRunControl3;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.internal.core.model.FunctionDeclaration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Step into selection through {@code IRunControl3}, as CDT's Step Into Selection command calls it, with the C
 * model's {@link FunctionDeclaration} (CDT's own implementation of the declaration it passes) on nested.c's
 * {@code r = outer(inner(3), other(4));}: from main's first line (run to the line, then the step) into
 * {@code outer}, its arguments the results of the calls run over; a function the line does not call stops on
 * the next line, the execution data saying so.
 */
class StepIntoSelectionTest extends DsfProgramTestCase {

    private IRunControl3 runControl;
    private MultitraceStack stack;
    private DebugSession session;
    private String source;

    @BeforeEach
    void launchNestedToMain() throws Exception {
        launchToMain("nested", false);
        runControl = dsf.service(MultitraceRunControl.class);
        stack = dsf.service(MultitraceStack.class);
        session = dsf.debugSession();
        source = TestPrograms.source("nested").toString();
    }

    /** A C function declaration of nested.c as CDT's C model makes one: name and parameter types. */
    private static IFunctionDeclaration declaration(String name, String... parameterTypes) {
        FunctionDeclaration f = new FunctionDeclaration(null, name);
        f.setParameterTypes(parameterTypes);
        f.setReturnType("int");
        return f;
    }

    private IFrameDMData frame(int level) throws Exception {
        IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(thread, rm));
        return dsf.call(rm -> stack.getFrameData(frames[level], rm));
    }

    private ISuspendedDMEvent stopped() throws InterruptedException {
        return dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
    }

    private void stepIntoSelection(String marker, IFunctionDeclaration function) throws Exception {
        int line = TestPrograms.mark("nested", marker);
        assertTrue(dsf.<Boolean>call(rm -> runControl.canStepIntoSelection(thread, source, line, function, rm)));
        dsf.run(rm -> runControl.stepIntoSelection(thread, source, line, false, function, rm));
        IResumedDMEvent resumed = dsf.events.next(IResumedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals(StateChangeReason.STEP, resumed.getReason());
    }

    private String details() throws Exception {
        IExecutionDMData data = dsf.call(rm -> runControl.getExecutionData(thread, rm));
        return ((IExecutionDMData2) data).getDetails();
    }

    @Test
    void fromAnotherLineRunsThereAndEntersTheSelectedCall() throws Exception {
        assertEquals(TestPrograms.mark("nested", "main-first"), frame(0).getLine());
        stepIntoSelection("nested-call", declaration("outer", "int", "int"));
        assertEquals(StateChangeReason.STEP, stopped().getReason());
        assertEquals("outer", frame(0).getFunction());
        assertEquals(TestPrograms.mark("nested", "outer-body"), frame(0).getLine());
        assertEquals("main", frame(1).getFunction());
        assertEquals(TestPrograms.mark("nested", "nested-call"), frame(1).getLine());
        assertEquals(null, details(), "entered: nothing to add");
        assertEquals("6", session.variables(thread.tid(), 0).evaluate("a").text(), "inner(3) ran over");
        assertEquals("5", session.variables(thread.tid(), 0).evaluate("b").text(), "other(4) ran over");
        for (long a : session.symbols().addressesFor("nested.c", TestPrograms.mark("nested", "nested-call"))) {
            assertNotEquals((byte) 0xcc, OrphanProcess.readByte(process.pid(), a), "int3 left at 0x" + Long.toHexString(a));
        }
        assertEquals(List.of(), session.breakpoints(), "no breakpoint left in the session");
        dsf.run(rm -> runControl.resume(thread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
    }

    @Test
    void aFunctionTheLineDoesNotCallStopsOnTheNextLine() throws Exception {
        stepIntoSelection("nested-call", declaration("outer", "int", "int"));
        stopped();
        // back to main's line, mid-line, then the next line's selection of a function it does not call
        dsf.run(rm -> runControl.step(thread, StepType.STEP_RETURN, rm));
        stopped();
        assertEquals("main", frame(0).getFunction());
        int second = TestPrograms.mark("nested", "second-call");
        stepIntoSelection("second-call", declaration("never", "int"));
        assertEquals(StateChangeReason.STEP, stopped().getReason());
        assertEquals("main", frame(0).getFunction());
        assertEquals(TestPrograms.mark("nested", "if-argc"), frame(0).getLine(), "the line after " + second);
        assertEquals("Step (did not enter never)", details());
        dsf.run(rm -> runControl.resume(thread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
    }

    @Test
    void refusalsSayWhy() throws Exception {
        assertTrue(dsf.<Boolean>call(rm -> runControl.canStepIntoSelection(thread, null, 0, null, rm)),
                "CDT's command asks so whether it is enabled");
        ExecutionException noCode = assertThrows(ExecutionException.class,
                () -> dsf.run(rm -> runControl.stepIntoSelection(thread, source, 1, false, declaration("outer"), rm)));
        assertTrue(noCode.getCause().getMessage().contains("no code for"), noCode.getCause().getMessage());
        ExecutionException noFunction = assertThrows(ExecutionException.class,
                () -> dsf.run(rm -> runControl.stepIntoSelection(thread, source, TestPrograms.mark("nested", "nested-call"), false, null, rm)));
        assertTrue(noFunction.getCause().getMessage().contains("needs a function"), noFunction.getCause().getMessage());
        assertTrue(runControl.isSuspended(thread), "a refusal leaves the thread suspended");
        dsf.run(rm -> runControl.resume(thread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertFalse(dsf.<Boolean>call(rm -> runControl.canStepIntoSelection(thread, source, TestPrograms.mark("nested", "nested-call"), declaration("outer"), rm)),
                "not once the program has exited");
    }
}
