package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.math.BigInteger;

import org.eclipse.cdt.debug.core.CDIDebugModel;
import org.eclipse.cdt.debug.core.model.ICBreakpoint;
import org.eclipse.cdt.debug.core.model.ICBreakpointType;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.utils.Addr64;
import org.eclipse.debug.core.model.IBreakpoint;
import org.junit.jupiter.api.Test;

/**
 * CDT's own breakpoints (line, function, address; condition, ignore count, temporary), made as the editor's
 * ruler and the Breakpoints view make them and followed into the process by the {@link BreakpointsMediator2}
 * with {@link CBreakpointTranslator}: they stop the real program where and when they say.
 */
class CdtBreakpointsTest extends CdtBreakpointsTestCase {

    private void launchLoopToMain() throws Exception {
        launchToMain("loop", true);
    }

    /** Waits until the mediator planted {@code n} breakpoints in the process (it does so on a job). */
    private void awaitPlanted(DebugSession s, int n) throws InterruptedException {
        DsfHarness.await(n + " breakpoints planted", () -> s.breakpoints().size() == n);
    }

    private IFrameDMData resumeToBreakpoint() throws Exception {
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IBreakpointHitDMEvent.class, e -> e.getDMContext().equals(thread));
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        IFrameDMContext top = dsf.call(rm -> stack.getTopFrame(thread, rm));
        return dsf.call(rm -> stack.getFrameData(top, rm));
    }

    private long rdi() throws Exception {
        MultitraceExpressions expressions = dsf.service(MultitraceExpressions.class);
        var e = expressions.createExpression(thread, "$rdi");
        IFormattedValues.FormattedValueDMData d = dsf.call(
                rm -> expressions.getFormattedExpressionValue(expressions.getFormattedValueContext(e, IFormattedValues.DECIMAL_FORMAT), rm));
        return Long.parseLong(d.getFormattedValue());
    }

    private void resumeToExit() throws Exception {
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
    }

    @Test
    void aConditionalLineBreakpointStopsWhenItsConditionHolds() throws Exception {
        launchLoopToMain();
        DebugSession s = dsf.debugSession();
        int line = TestPrograms.mark("loop", "square-body");
        ICBreakpoint bp = CDIDebugModel.createLineBreakpoint(TestPrograms.source("loop").toString(), workspace(),
                ICBreakpointType.REGULAR, line, true, 0, "$rdi == 3", true);
        awaitPlanted(s, 1);
        IFrameDMData f = resumeToBreakpoint();
        assertEquals("square", f.getFunction());
        assertEquals(line, f.getLine());
        assertEquals(3, rdi(), "square(3): the condition held");
        DsfHarness.await("CDT shows it installed", () -> {
            try {
                return bp.isInstalled();
            } catch (Exception e) {
                return false;
            }
        });

        // Disabling it in CDT takes it out of the process; the program then runs to its end.
        bp.setEnabled(false);
        awaitPlanted(s, 0);
        resumeToExit();
        assertEquals(7, s.process().exitStatus().get().code());
    }

    @Test
    void aFunctionBreakpointWithAnIgnoreCountStopsAtTheRightCall() throws Exception {
        launchLoopToMain();
        DebugSession s = dsf.debugSession();
        CDIDebugModel.createFunctionBreakpoint(TestPrograms.source("loop").toString(), workspace(), ICBreakpointType.REGULAR,
                "square", -1, -1, -1, true, 3, "", true);
        awaitPlanted(s, 1);
        IFrameDMData f = resumeToBreakpoint();
        assertEquals("square", f.getFunction());
        assertEquals(3, rdi(), "three calls ignored: the fourth, square(3)");
        assertEquals(TestPrograms.mark("loop", "square-body"), f.getLine(), "past the prologue, as gdb's break square");
        resumeToBreakpoint(); // square(4): an ignore count only counts once
        assertEquals(4, rdi());
    }

    @Test
    void anAddressBreakpointAndATemporaryOneStopOnce() throws Exception {
        launchLoopToMain();
        DebugSession s = dsf.debugSession();
        long at = s.symbols().addressesFor("loop.c", TestPrograms.mark("loop", "loop-count"))[0];
        IBreakpoint address = CDIDebugModel.createAddressBreakpoint(null, null, workspace(), ICBreakpointType.TEMPORARY,
                new Addr64(BigInteger.valueOf(at)), true, 0, "", true);
        awaitPlanted(s, 1);
        IFrameDMData f = resumeToBreakpoint();
        assertEquals(BigInteger.valueOf(at), f.getAddress().getValue());
        assertEquals(TestPrograms.mark("loop", "loop-count"), f.getLine());
        assertTrue(s.breakpoints().isEmpty(), "a temporary breakpoint is spent at its first stop");
        assertTrue(address.isEnabled(), "the platform breakpoint stays, as with gdb");
        resumeToExit();
        assertEquals(7, s.process().exitStatus().get().code(), "it did not stop again");
    }
}
