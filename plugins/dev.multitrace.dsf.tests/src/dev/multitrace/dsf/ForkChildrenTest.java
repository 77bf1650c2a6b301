package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMContext;
import org.eclipse.cdt.dsf.debug.service.IModules.IModuleDMContext;
import org.eclipse.cdt.dsf.debug.service.IModules.IModuleDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExecutionDMContext;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IStartedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IRunControl.ISuspendedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.junit.jupiter.api.Test;

/**
 * Fork children followed in one DSF session (IProcesses' "processes with several threads and fork children";
 * DSF-GDB's "Automatically debug forked processes", gdb's {@code detach-on-fork off}), on forkchild.c: the child
 * joins as a second process (a started container and thread), suspended where fork returns in main, while the
 * parent runs on; it has the session's breakpoint and stops there with its own argument; its exit ends it alone;
 * a breakpoint removed while it is suspended is gone from its memory too.
 */
class ForkChildrenTest extends DsfProgramTestCase {

    private void launch() throws Exception {
        dsf = new DsfHarness(false);
        dsf.launchToMain("forkchild", Map.of(MultitraceProcesses.FOLLOW_FORKS, true));
        process = dsf.process;
        thread = dsf.thread;
    }

    private IBreakpointDMContext breakInChildWork() throws Exception {
        MultitraceBreakpoints breakpoints = dsf.service(MultitraceBreakpoints.class);
        Map<String, Object> line = Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.LINE_KIND,
                MultitraceBreakpoints.FILE, "forkchild.c", MultitraceBreakpoints.LINE, TestPrograms.mark("forkchild", "child-work"));
        return dsf.call(rm -> breakpoints.insertBreakpoint(process, line, rm));
    }

    /** The child's container, from its started event; then its thread's suspended event. */
    private ThreadContext childSuspendedAtFork() throws Exception {
        IStartedDMEvent started = dsf.events.next(IStartedDMEvent.class,
                e -> e.getDMContext() instanceof ProcessContext p && !p.equals(process));
        ProcessContext child = (ProcessContext) started.getDMContext();
        ISuspendedDMEvent stopped = dsf.events.next(ISuspendedDMEvent.class,
                e -> e.getDMContext() instanceof ThreadContext t && t.process().equals(child));
        return (ThreadContext) stopped.getDMContext();
    }

    private IFrameDMData top(ThreadContext t) throws Exception {
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(t, rm));
        return dsf.call(rm -> stack.getFrameData(frames[0], rm));
    }

    private List<IFrameDMData> frames(ThreadContext t) throws Exception {
        MultitraceStack stack = dsf.service(MultitraceStack.class);
        IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(t, rm));
        IFrameDMData[] out = new IFrameDMData[frames.length];
        for (int i = 0; i < frames.length; i++) {
            IFrameDMContext f = frames[i];
            out[i] = dsf.call(rm -> stack.getFrameData(f, rm));
        }
        return Arrays.asList(out);
    }

    @Test
    void aForkChildJoinsAsASecondProcessSuspendedAtItsForkAndStopsAtTheSessionsBreakpoint() throws Exception {
        launch();
        breakInChildWork();
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        MultitraceProcesses processes = dsf.service(MultitraceProcesses.class);
        dsf.run(rm -> runControl.resume(process, rm));

        ThreadContext childThread = childSuspendedAtFork();
        ProcessContext child = childThread.process();
        assertNotEquals(process.pid(), child.pid());
        assertEquals(String.valueOf(process.pid()), OrphanProcess.status(child.pid(), "PPid"), "the program's child");
        IDMContext[] debugged = dsf.call(rm -> processes.getProcessesBeingDebugged(null, rm));
        assertArrayEquals(new IDMContext[] { process, child }, debugged, "both processes are debugged");
        IExecutionDMContext[] threads = dsf.call(rm -> runControl.getExecutionContexts(child, rm));
        assertArrayEquals(new IExecutionDMContext[] { childThread }, threads, "fork copies one thread");
        assertTrue(runControl.isSuspended(childThread) && runControl.isSuspended(child));
        assertFalse(runControl.isSuspended(thread), "the parent runs on (it waits for the child)");
        MultitraceModules modules = dsf.service(MultitraceModules.class);
        IModuleDMContext[] childModules = dsf.call(rm -> modules.getModules(child, rm));
        List<String> files = new java.util.ArrayList<>();
        for (IModuleDMContext m : childModules) {
            files.add(dsf.<IModuleDMData>call(rm -> modules.getModuleData(m, rm)).getFile());
        }
        assertTrue(files.stream().anyMatch(f -> f.endsWith("/forkchild")) && files.stream().anyMatch(f -> f.contains("libc.so")),
                () -> "the child's modules: " + files);
        List<IFrameDMData> atFork = frames(childThread);
        assertTrue(atFork.stream().anyMatch(f -> "main".equals(f.getFunction()) && f.getLine() == TestPrograms.mark("forkchild", "fork")),
                () -> "the child is in main's fork: " + atFork.stream().map(f -> f.getFunction() + ":" + f.getLine()).toList());

        dsf.run(rm -> runControl.resume(childThread, rm));
        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(childThread));
        IFrameDMData work = top(childThread);
        assertEquals("child_work", work.getFunction());
        assertEquals(TestPrograms.mark("forkchild", "child-work"), work.getLine());
        DebugSession childSession = dsf.call(rm -> {
            rm.setData(dsf.service(DebugSessionService.class).sessionOf(child));
            rm.done();
        });
        assertEquals("21", childSession.variables(childThread.tid(), 0).variable("v").orElseThrow().text(), "the child's call");

        dsf.run(rm -> runControl.resume(childThread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(child));
        assertEquals(42, childSession.process().exitStatus().get().code());
        IDMContext[] after = dsf.call(rm -> processes.getProcessesBeingDebugged(null, rm));
        assertArrayEquals(new IDMContext[] { process }, after, "the child is gone, the program is still debugged");

        dsf.events.next(ISuspendedDMEvent.class, e -> e.getDMContext().equals(thread));
        assertEquals("child_work", top(thread).getFunction(), "the parent's own call stops at the same breakpoint");
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(42, dsf.debugSession().process().exitStatus().get().code(), "the parent exits with the child's 42");
    }

    @Test
    void aBreakpointRemovedWhileTheChildIsSuspendedIsGoneFromTheChildToo() throws Exception {
        launch();
        IBreakpointDMContext bp = breakInChildWork();
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        MultitraceBreakpoints breakpoints = dsf.service(MultitraceBreakpoints.class);
        long work = dsf.debugSession().plantedAddresses(dsf.debugSession().breakpoints().get(0))[0];
        dsf.run(rm -> runControl.resume(process, rm));
        ThreadContext childThread = childSuspendedAtFork();
        int child = childThread.process().pid();
        assertEquals((byte) 0xcc, OrphanProcess.readByte(child, work), "the child's memory has the breakpoint");

        dsf.run(rm -> breakpoints.removeBreakpoint(bp, rm));
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(child, work), "removed from the child");
        assertNotEquals((byte) 0xcc, OrphanProcess.readByte(process.pid(), work), "and from the parent");
        dsf.run(rm -> runControl.resume(childThread, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(childThread.process()));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(42, dsf.debugSession().process().exitStatus().get().code(), "neither stopped again");
    }
}
