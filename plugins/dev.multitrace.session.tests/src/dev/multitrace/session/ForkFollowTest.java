package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Following fork children (gdb's {@code detach-on-fork off}) on forks.c: the child becomes a session of its own,
 * held where its fork returns in main, with the parent's breakpoint (the int3 its memory inherited is its own now:
 * it hits there, and removing it in the child takes the byte out of the child only); the parent runs on, and each
 * process ends with its own status while the other is still debugged.
 */
class ForkFollowTest {

    private DebugSession session;
    /** The fork children the session followed, as they came; {@link #children} hands each to a test once. */
    private final List<DebugSession> followed = new CopyOnWriteArrayList<>();
    private final BlockingQueue<DebugSession> children = new LinkedBlockingQueue<>();
    private final Stops stops = new Stops();
    private final Stops childStops = new Stops();

    @AfterEach
    void end() throws Exception {
        for (DebugSession child : followed) {
            if (!child.isEnded()) {
                child.terminate();
            }
        }
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    /** forks.c with {@code args}, following its fork children, stopped at main. */
    private int startFollowing(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = TestPrograms.path("forks").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return startFollowingCommand(command);
    }

    /** The program {@code command} runs, following its fork children, stopped at main. */
    private int startFollowingCommand(String... command) throws Exception {
        session = DebugSession.launch(LaunchSpec.of(command), true);
        session.addListener(stops);
        session.addListener(new SessionListener() {
            @Override
            public void processForked(DebugSession child) {
                child.addListener(childStops);
                followed.add(child);
                children.add(child);
            }
        });
        session.setFollowForks(true);
        session.start(DebugSession.StopMode.MAIN);
        int pid = session.pid();
        stops.next(pid, StopReason.Kind.MAIN);
        return pid;
    }

    private CodeBreakpoint plantInChildWork() {
        long[] at = session.symbols().addressesFor("forks.c", TestPrograms.mark("forks", "child-work"));
        CodeBreakpoint bp = new CodeBreakpoint("forks.c:child-work", at, null, 0, Set.of(), null);
        session.addBreakpoint(bp);
        return bp;
    }

    /** The next fork child the session followed, once its stop where fork returned is reported. */
    private DebugSession nextChildHeld() throws Exception {
        DebugSession child = children.poll(30, TimeUnit.SECONDS);
        assertNotNull(child, "a fork child followed within 30 s");
        childStops.next(child.pid(), StopReason.Kind.SUSPEND);
        return child;
    }

    private static int exitCode(DebugSession s) throws Exception {
        return s.process().exitStatus().get(30, TimeUnit.SECONDS).code();
    }

    private static long argument(DebugSession s, int tid, String name) {
        return Long.parseLong(s.variables(tid, 0).variable(name).orElseThrow().text());
    }

    @Test
    void aFollowedForkChildIsHeldAsASessionOfItsOwnAndHitsTheBreakpointItInherited() throws Exception {
        int pid = startFollowing();
        CodeBreakpoint bp = plantInChildWork();
        long work = session.plantedAddresses(bp)[0];
        byte original = session.examine(pid).read(work, 1)[0];
        session.resumeAll();

        DebugSession child = nextChildHeld();
        int cpid = child.pid();
        assertNotEquals(pid, cpid);
        assertEquals(pid, child.parentPid());
        assertEquals(String.valueOf(pid), OrphanProcess.status(cpid, "PPid"), "the child is the program's");
        assertEquals("suspended (forked from process " + pid + ")", child.stateLabel(cpid), "why it is held");
        assertEquals(List.of(cpid), child.threads(), "fork copies one thread");
        assertTrue(child.isHeld(cpid));
        List<FrameInfo> frames = child.frames(cpid);
        assertTrue(frames.stream().anyMatch(f -> "main".equals(f.functionName())
                && f.source().orElseThrow().line() == TestPrograms.mark("forks", "fork")), () -> "in main's fork: " + frames);
        assertEquals(List.of(bp), child.breakpoints(), "the child has the parent's breakpoint");
        assertEquals((byte) 0xcc, OrphanProcess.readByte(cpid, work), "its inherited int3 is planted");
        assertEquals(original, child.examine(cpid).read(work, 1)[0], "reads of the child's memory show the program's byte");

        // The parent was not stopped: it wrote to the pipe and waits for the child.
        assertTrue(!session.isHeld(pid), "the parent runs on");

        child.resumeAll();
        childStops.next(cpid, StopReason.Kind.BREAKPOINT);
        assertEquals(21, argument(child, cpid, "v"), "the child's call, child_work(21)");
        assertEquals(1, child.hitCount(bp));

        child.removeBreakpoint(bp);
        assertEquals(original, OrphanProcess.readByte(cpid, work), "removed in the child: its byte is the program's");
        assertEquals((byte) 0xcc, OrphanProcess.readByte(pid, work), "the parent's breakpoint stays");
        child.resumeAll();
        assertEquals(42, exitCode(child), "the child ran child_work and exited with its 42");
        assertTrue(child.isEnded());

        stops.next(pid, StopReason.Kind.BREAKPOINT);
        assertEquals(1, argument(session, pid, "v"), "the parent's own call, child_work(1)");
        session.resumeAll();
        assertEquals(42, exitCode(session), "the parent exits with the child's status");
    }

    @Test
    void aFollowedVforkChildIsHeldWithoutTheParentsBreakpointsAndTheParentWaitsForIt() throws Exception {
        int pid = startFollowing("vfork");
        CodeBreakpoint bp = plantInChildWork();
        session.resumeAll();

        DebugSession child = nextChildHeld();
        int cpid = child.pid();
        assertEquals(List.of(), child.breakpoints(), "a vfork child's memory is the parent's: its int3 bytes stay the parent's");
        child.resumeAll();
        assertEquals(42, exitCode(child), "the vfork child exits 42 at once");

        stops.next(pid, StopReason.Kind.BREAKPOINT);
        assertEquals(1, session.hitCount(bp), "the parent's breakpoint hit once its vfork was done");
        session.resumeAll();
        assertEquals(42, exitCode(session));
    }

    /**
     * A breakpoint the parent's program cannot resolve (loop.c is not in it) stays pending; the child inherits it,
     * execs loop, and its session resolves it in loop's symbols, its own: the child stops in square.
     */
    @Test
    void aFollowedChildThatExecsResolvesTheInheritedBreakpointsInItsNewProgram() throws Exception {
        startFollowingCommand(TestPrograms.path("forkexec").toString(), TestPrograms.path("loop").toString());
        int line = TestPrograms.mark("loop", "square-body");
        CodeBreakpoint bp = new CodeBreakpoint("loop.c:square-body", new long[0], null, 0, Set.of(), null);
        session.addBreakpoint(bp, symbols -> symbols.addressesFor("loop.c", line));
        assertTrue(session.isPending(bp), "forkexec has no loop.c");
        session.resumeAll();

        DebugSession child = nextChildHeld();
        int cpid = child.pid();
        assertTrue(child.isPending(bp), "the child inherited the pending breakpoint");
        child.resumeAll();
        childStops.next(cpid, StopReason.Kind.BREAKPOINT);
        FrameInfo top = child.frames(cpid).get(0);
        assertEquals("square", top.functionName(), "the exec'd loop stops in square");
        assertEquals(line, top.source().orElseThrow().line());
        assertTrue(session.isPending(bp), "the parent's program still has no loop.c");
        child.removeBreakpoint(bp);
        child.resumeAll();
        assertEquals(7, exitCode(child), "loop ran to its end");
        assertEquals(7, exitCode(session), "forkexec exits with its child's status");
    }

    /** vforker: the held vfork child, once resumed, execs the program again ("execd", exit 3); the parent goes on. */
    @Test
    void aFollowedVforkChildThatExecsRunsItsNewProgramAndTheParentGoesOn() throws Exception {
        startFollowingCommand(TestPrograms.path("vforker").toString());
        session.resumeAll();
        DebugSession child = nextChildHeld();
        assertTrue(child.breakpoints().isEmpty(), "a vfork child has no breakpoints of its own");
        child.resumeAll();
        assertEquals(3, exitCode(child), "the vfork child exec'd vforker execd, which exits 3");
        assertEquals(0, exitCode(session), "the parent went on once its vfork was done");
    }

    /**
     * clonewait: clone() without CLONE_THREAD makes processes, followed as fork children: one sharing the memory
     * (CLONE_VM, no breakpoints of its own, as a vfork child), then one with a copy of it (the parent's breakpoints).
     * Each is held, then resumed; the program checks their exit codes (6 and 9) through its own waits and exits 0.
     */
    @Test
    void processesMadeByCloneAreFollowedAsForkChildren() throws Exception {
        startFollowingCommand(TestPrograms.path("clonewait").toString());
        session.resumeAll();
        DebugSession shared = nextChildHeld();
        assertTrue(shared.breakpoints().isEmpty(), "a child sharing the parent's memory has no breakpoints of its own");
        shared.resumeAll();
        assertEquals(6, exitCode(shared), "clone_child_work(2)");
        DebugSession copy = nextChildHeld();
        assertEquals(2, followed.size(), "the second clone is followed too: " + followed);
        copy.resumeAll();
        assertEquals(9, exitCode(copy), "clone_child_work(3)");
        assertEquals(0, exitCode(session), "clonewait's own waits saw both children's codes");
    }

    @Test
    void theParentsEndDoesNotEndAFollowedChildThatIsStillDebugged() throws Exception {
        startFollowing();
        session.resumeAll();
        DebugSession child = nextChildHeld();
        int cpid = child.pid();

        session.terminate(); // the parent is killed; the child, held, is still ours
        assertEquals(9, session.process().exitStatus().get(30, TimeUnit.SECONDS).signal());
        assertTrue(child.isHeld(cpid) && !child.isEnded(), "the child's session goes on");
        assertTrue(child.frames(cpid).size() > 0, "its stack is still read");
        child.terminate(); // it would wait on its pipe for ever: its own copy of the writing end is open
        assertEquals(9, child.process().exitStatus().get(30, TimeUnit.SECONDS).signal());
        assertTrue(child.isEnded());
    }
}
