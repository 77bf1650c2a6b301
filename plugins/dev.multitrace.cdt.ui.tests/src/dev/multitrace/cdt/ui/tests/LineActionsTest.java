package dev.multitrace.cdt.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.dsf.ThreadContext;
import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.eclipse.cdt.debug.core.model.IMoveToLine;
import org.eclipse.cdt.debug.core.model.IRunToLine;
import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.ui.viewmodel.IVMNode;
import org.eclipse.cdt.dsf.ui.viewmodel.datamodel.IDMVMContext;
import org.eclipse.core.runtime.IAdaptable;
import org.eclipse.core.runtime.Platform;
import org.eclipse.debug.core.model.ISuspendResume;
import org.junit.jupiter.api.Test;

/**
 * Run to Line and Move to Line as the C editor's actions reach them: a Debug view element of a Multitrace
 * thread adapts (through the platform's adapter manager) to ISuspendResume, that to CDT's IRunToLine and
 * IMoveToLine, whose DSF implementations call the run control service. In a workbench: DSF's UI bundle, which
 * holds those implementations, starts only there.
 */
class LineActionsTest {

    /** A Debug view element for a DSF context, as the view model makes them. */
    private record Element(IDMContext dmc) implements IDMVMContext {
        @Override
        public IDMContext getDMContext() {
            return dmc;
        }

        @Override
        public IVMNode getVMNode() {
            return null;
        }

        @Override
        public <T> T getAdapter(Class<T> adapter) {
            return Platform.getAdapterManager().getAdapter(this, adapter);
        }
    }

    @Test
    void runToLineThenMoveToLineFromADebugViewElement() throws Exception {
        Workbench.prepare();
        try (LoopLaunch loop = LoopLaunch.stoppedAtMain("loop, line actions")) {
            DebugSession s = loop.session;
            int pid = s.pid();
            ThreadContext thread = loop.thread(pid);

            ISuspendResume target = new Element(thread).getAdapter(ISuspendResume.class);
            assertNotNull(target, "a Multitrace thread's element adapts to ISuspendResume");
            assertNull(new Element(thread.process()).getAdapter(ISuspendResume.class), "a process has no line to run to");
            IRunToLine runToLine = ((IAdaptable) target).getAdapter(IRunToLine.class);
            IMoveToLine moveToLine = ((IAdaptable) target).getAdapter(IMoveToLine.class);
            assertNotNull(runToLine);
            assertNotNull(moveToLine);

            String source = TestPrograms.source("loop").toString();
            int count = TestPrograms.mark("loop", "loop-count");
            assertTrue(runToLine.canRunToLine(source, count));
            runToLine.runToLine(source, count, false);
            waitFor(() -> s.isHeld(pid) && line(s, pid) == count, "at loop-count after Run to Line");

            int print = TestPrograms.mark("loop", "print");
            assertTrue(moveToLine.canMoveToLine(source, print));
            moveToLine.moveToLine(source, print);
            waitFor(() -> s.isHeld(pid) && line(s, pid) == print, "at print after Move to Line");
            assertEquals(s.symbols().addressesFor(source, print)[0], s.registers(pid).pc());
        }
    }

    private static int line(DebugSession s, int pid) {
        try {
            return s.frames(pid).get(0).source().map(p -> p.line()).orElse(-1);
        } catch (IllegalStateException running) {
            return -1;
        }
    }

    private static void waitFor(BooleanSupplier condition, String what) {
        Workbench.waitUntil(what, Duration.ofSeconds(30), condition);
    }
}
