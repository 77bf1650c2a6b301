package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** vfork-events: gdb's catch vfork, and the vforkdone that gives the parent its breakpoints back. */
class VforkEventsTest extends ServedProgramTest {

    /**
     * catch vfork stops the parent at the vfork with the child's pid; the child (detached) execs
     * and the parent, once its vfork is done, runs into a breakpoint gdb took out of the shared
     * memory during the vfork and put back at vforkdone.
     */
    @Test
    void catchVforkThenTheChildExecsAndTheParentHitsItsBreakpoint() throws Exception {
        String prog = Gdb.program("vforker");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break parent_work",
                "catch vfork",
                "continue",
                "continue",
                "p x",
                "continue"));
        assertTrue(run.output().matches("(?s).*Catchpoint 2 \\(vforked process \\d+\\).*"), show(run));
        assertTrue(run.has("[Detaching after vfork from child process"), show(run));
        assertTrue(run.has("Breakpoint 1, parent_work (x=1)"), show(run));
        assertTrue(run.has("$1 = 1"), show(run));
        assertTrue(run.has("exited normally"), show(run));
        assertEquals("parent 2 child exit 3\n", programOutput(), show(run));
        assertEquals(0, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    /** A vfork child that exits at once (no exec): the vfork is done at its exit. */
    @Test
    void catchVforkWithAChildThatExits() throws Exception {
        String prog = Gdb.program("vforker");
        int port = serve(true, prog, "exit");
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break parent_work",
                "catch vfork",
                "continue",
                "continue",
                "continue"));
        assertTrue(run.output().matches("(?s).*Catchpoint 2 \\(vforked process \\d+\\).*"), show(run));
        assertTrue(run.has("Breakpoint 1, parent_work (x=1)"), show(run));
        assertTrue(run.has("exited normally"), show(run));
        assertEquals("parent 2 child exit 4\n", programOutput(), show(run));
    }

    /** The raw protocol: vfork-events+ is offered, vfork: then vforkdone: are reported in the parent. */
    @Test
    void vforkAndVforkDoneStopReplies() throws Exception {
        launch(true, Gdb.program("vforker"), "exit");
        server.start();
        String pid = Integer.toHexString(traced.pid());
        try (RawClient c = new RawClient(server.port())) {
            String features = c.request("qSupported:multiprocess+;swbreak+;fork-events+;vfork-events+;exec-events+");
            assertTrue(features.contains(";vfork-events+"), features);
            c.request("?");
            assertEquals("OK", c.request("QPassSignals:14")); // SIGCHLD (gdb's 20), passed as gdb does
            String stop = c.request("vCont;c");
            assertTrue(stop.matches("T05vfork:p[0-9a-f]+\\.[0-9a-f]+;thread:p" + pid + "\\." + pid + ";"), stop);
            String child = stop.substring("T05vfork:p".length(), stop.indexOf('.'));
            assertEquals("OK", c.request("D;" + child));
            assertEquals("T05vforkdone:;thread:p" + pid + "." + pid + ";", c.request("vCont;c"));
            assertEquals("W00;process:" + pid, c.request("vCont;c"));
        }
        assertEquals("parent 2 child exit 4\n", programOutput());
    }
}
