package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.Arrays;
import java.util.Map;

import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IProcessDMContext;
import org.eclipse.cdt.dsf.debug.service.IProcesses.IThreadDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Attaching through IProcesses to a running program with three threads, a breakpoint in it, and detaching. */
class AttachTest {

    private DsfHarness dsf;
    private int orphan;

    @AfterEach
    void end() throws Exception {
        if (dsf != null) {
            dsf.close();
        }
        if (orphan > 0) {
            // Our own test process, by pid.
            new ProcessBuilder("kill", "-9", Integer.toString(orphan)).start().waitFor();
        }
    }

    @Test
    void attachListsThreadsStopsAtABreakpointAndDetachLeavesItRunningWithNoInt3() throws Exception {
        orphan = OrphanProcess.startProgram("spin", 3);
        dsf = new DsfHarness(false);
        MultitraceProcesses processes = dsf.service(MultitraceProcesses.class);
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        MultitraceBreakpoints breakpoints = dsf.service(MultitraceBreakpoints.class);
        MultitraceStack stack = dsf.service(MultitraceStack.class);

        IProcessDMContext[] running = dsf.call(rm -> processes.getRunningProcesses(null, rm));
        IProcessDMContext listed = Arrays.stream(running).filter(p -> ((ProcessContext) p).pid() == orphan).findFirst()
                .orElseThrow(() -> new AssertionError(orphan + " not in the attach list"));
        IThreadDMData data = dsf.call(rm -> processes.getExecutionData(listed, rm));
        assertEquals("spin", data.getName());
        assertEquals(false, data.isDebuggerAttached());

        ProcessContext process = (ProcessContext) dsf.<IDMContext>call(rm -> processes.attachDebuggerToProcess(listed, rm));
        IExecutionDMContext[] threads = dsf.call(rm -> runControl.getExecutionContexts(process, rm));
        assertEquals(3, threads.length);
        for (IExecutionDMContext t : threads) {
            assertTrue(dsf.<Boolean>call(rm -> {
                rm.setData(runControl.isSuspended(t));
                rm.done();
            }), t + " is held by the attach");
        }
        assertEquals(true, dsf.<IThreadDMData>call(rm -> processes.getExecutionData(process, rm)).isDebuggerAttached());

        long tick = dsf.debugSession().symbols().addressesFor("spin.c", TestPrograms.mark("spin", "tick"))[0];
        IBreakpointDMContext bp = dsf.call(rm -> breakpoints.insertBreakpoint(process,
                Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.FUNCTION_KIND, MultitraceBreakpoints.FUNCTION, "tick"), rm));
        assertEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick), "planted");
        dsf.run(rm -> runControl.resume(process, rm));
        IBreakpointHitDMEvent hit = dsf.events.next(IBreakpointHitDMEvent.class, e -> true);
        assertEquals(bp, hit.getBreakpoints()[0]);
        IFrameDMContext top = dsf.call(rm -> stack.getTopFrame(hit.getDMContext(), rm));
        IFrameDMData f = dsf.call(rm -> stack.getFrameData(top, rm));
        assertEquals("tick", f.getFunction());

        dsf.run(rm -> processes.detachDebuggerFromProcess(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(orphan, tick), "no breakpoint byte left");
        assertEquals("0", OrphanProcess.status(orphan, "TracerPid"));
        long ticks = ticks();
        Thread.sleep(100);
        assertTrue(ticks() > ticks, "it runs on");
    }

    /** spin's tick counter, read through /proc (the process is not traced any more). */
    private long ticks() throws Exception {
        long at = dsf.debugSession().symbolAddress("ticks").orElseThrow();
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (OrphanProcess.readByte(orphan, at + i) & 0xff);
        }
        return v;
    }
}
