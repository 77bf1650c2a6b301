package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.Tracing;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.cdt.debug.core.CDIDebugModel;
import org.eclipse.cdt.debug.core.model.ICBreakpoint;
import org.eclipse.cdt.debug.core.model.ICBreakpointType;
import org.eclipse.cdt.dsf.debug.service.BreakpointsMediator2;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IDsfBreakpointExtension;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMContext;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues.FormattedValueDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.StateChangeReason;
import org.eclipse.debug.core.DebugPlugin;
import org.junit.jupiter.api.Test;

/**
 * CDT's watchpoints ({@link CDIDebugModel#createWatchpoint}) and a breakpoint's thread filter
 * ({@link CBreakpointThreadFilter}), followed into real programs by the {@link BreakpointsMediator2}: a
 * write watchpoint stops after each write, an access watchpoint at a read (where the debug registers trap),
 * a filtered breakpoint only in its thread.
 */
class CdtWatchpointsAndFiltersTest extends CdtBreakpointsTestCase {

    private IBreakpointHitDMEvent resumeToHit() throws Exception {
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        return dsf.events.next(IBreakpointHitDMEvent.class, e -> true);
    }

    private String value(IExecutionDMContext in, String expression) throws Exception {
        MultitraceExpressions expressions = dsf.service(MultitraceExpressions.class);
        IExpressionDMContext e = expressions.createExpression(in, expression);
        FormattedValueDMData d = dsf.call(rm -> expressions.getFormattedExpressionValue(
                expressions.getFormattedValueContext(e, IFormattedValues.NATURAL_FORMAT), rm));
        return d.getFormattedValue();
    }

    private String resumeToExit(DebugSession s) throws Exception {
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        return new String(s.process().stdout().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** {@code watch chain[1].count}: main's loop writes 10, then each of the ten calls of tick adds one. */
    @Test
    void aWriteWatchpointStopsAfterEachOfTheElevenWrites() throws Exception {
        launchToMain("dataview", true);
        DebugSession s = dsf.debugSession();
        CDIDebugModel.createWatchpoint(TestPrograms.source("dataview").toString(), workspace(), true, false, "chain[1].count", true, 0,
                "", true);
        DsfHarness.await("the watchpoint inserted", () -> s.watchpoints().size() == 1);
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            IBreakpointHitDMEvent hit = resumeToHit();
            assertEquals(StateChangeReason.WATCHPOINT, hit.getReason());
            assertEquals(thread, hit.getDMContext());
            seen.add(value(thread, "chain[1].count"));
        }
        assertEquals(List.of("10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"), seen, "the value after each write");
        String out = resumeToExit(s);
        assertTrue(out.contains("count=20"), out);
        System.out.println("CDT write watchpoint: 11 stops, " + Tracing.debugRegisters().summary());
    }

    /** {@code awatch global_counter}: only main's printf reads it. Needs debug registers that trap. */
    @Test
    void anAccessWatchpointStopsAtTheRead() throws Exception {
        DebugRegisterSupport hw = Tracing.debugRegisters();
        assumeTrue(hw.dataWatchpoints() && hw.readWatchpoints(), "this machine's debug registers do not trap (" + hw.detail() + ")");
        launchToMain("dataview", true);
        DebugSession s = dsf.debugSession();
        CDIDebugModel.createWatchpoint(TestPrograms.source("dataview").toString(), workspace(), false, true, "global_counter", true, 0,
                "", true);
        DsfHarness.await("the watchpoint inserted", () -> s.watchpoints().size() == 1);
        IBreakpointHitDMEvent hit = resumeToHit();
        assertEquals(StateChangeReason.WATCHPOINT, hit.getReason());
        assertEquals(TestPrograms.mark("dataview", "print"), lineOf(thread), "stopped in main's printf call, after the read");
        String out = resumeToExit(s);
        assertTrue(out.contains("global=42"), out);
    }

    private int lineOf(ThreadContext t) throws Exception {
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        var top = dsf.<org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext>call(rm -> stack.getTopFrame(t, rm));
        return dsf.<org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData>call(rm -> stack.getFrameData(top, rm)).getLine();
    }

    /** probethreads: four workers call work five times each; a breakpoint filtered to one worker stops only there. */
    @Test
    void aThreadFilterStopsOnlyItsThread() throws Exception {
        launchToMain("probethreads", true);
        DebugSession s = dsf.debugSession();
        // a function breakpoint: one address per call (the marked line has two of its own)
        String source = TestPrograms.source("probethreads").toString();
        ICBreakpoint any = CDIDebugModel.createFunctionBreakpoint(source, workspace(), ICBreakpointType.REGULAR, "work", -1, -1, -1,
                true, 0, "", true);
        DsfHarness.await("planted", () -> s.breakpoints().size() == 1);
        IBreakpointHitDMEvent first = resumeToHit();
        ThreadContext worker = (ThreadContext) first.getDMContext();
        assertTrue(worker.tid() != process.pid(), "a worker thread hit it");
        String id = value(worker, "id");
        assertEquals("0", value(worker, "round"), "the worker's first call");
        any.delete();
        DsfHarness.await("unplanted", () -> s.breakpoints().isEmpty());

        ICBreakpoint filtered = CDIDebugModel.createFunctionBreakpoint(source, workspace(), ICBreakpointType.REGULAR, "work", -1, -1,
                -1, true, 0, "", false);
        filtered.getExtension(CBreakpointThreadFilter.DEBUG_MODEL_ID, IDsfBreakpointExtension.class)
                .setThreadFilters(new IExecutionDMContext[] { worker });
        DebugPlugin.getDefault().getBreakpointManager().addBreakpoint(filtered);
        DsfHarness.await("planted with its filter", () -> s.breakpoints().size() == 1 && s.breakpoints().get(0).threads().equals(java.util.Set.of(worker.tid())));
        List<String> rounds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            IBreakpointHitDMEvent hit = resumeToHit();
            assertEquals(worker, hit.getDMContext(), "only the filter's thread stops");
            assertEquals(id, value(worker, "id"));
            rounds.add(value(worker, "round"));
        }
        assertEquals(List.of("1", "2", "3", "4"), rounds);
        resumeToExit(s);
        assertEquals(5, s.process().exitStatus().get().code(), "no other stop: the other threads ran their calls through");
    }
}
