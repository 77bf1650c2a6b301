package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A program that clone()s children without CLONE_THREAD (processes of their own, no exit signal)
 * and waits for them with __WCLONE/__WALL, aborting if a wait fails, under the real gdb: the
 * children stay the program's own, whatever gdb follows.
 */
class CloneProcessTest extends ServedProgramTest {

    private static final String OUTPUT = "clone child exit 6\nclone child exit 9\n";

    /** The memory-copy child is a fork to gdb (detached at once); the program's waits succeed. */
    @Test
    void cloneChildrenAreProcessesAndTheProgramsWaitsSucceed() throws Exception {
        String prog = Gdb.program("clonewait");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "break clone_child_work",
                "continue",
                "continue"));
        assertTrue(run.has("[Detaching after fork from child process"), show(run));
        assertFalse(run.has("New Thread"), show(run));
        assertFalse(run.has("SIGABRT"), show(run));
        assertTrue(run.has("exited normally"), show(run));
        assertEquals(OUTPUT, programOutput(), show(run));
        assertEquals(0, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }

    /** follow-fork-mode child: gdb debugs the copy child to its exit, and the parent still collects it. */
    @Test
    void followedCloneChildExitsAndItsParentCollectsIt() throws Exception {
        String prog = Gdb.program("clonewait");
        int port = serve(true, prog);
        Gdb.Run run = Gdb.run(prog, List.of(
                "target remote 127.0.0.1:" + port,
                "set follow-fork-mode child",
                "break clone_child_work",
                "continue",
                "p x",
                "continue"));
        assertTrue(run.has("[Inferior 1 (process " + traced.pid() + ") detached]"), show(run));
        assertTrue(run.has("hit Breakpoint 1, clone_child_work (x=3)"), show(run));
        assertTrue(run.has("$1 = 3"), show(run));
        assertTrue(run.has("exited with code 011"), show(run));
        assertEquals(OUTPUT, programOutput(), show(run));
        assertEquals(0, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }
}
