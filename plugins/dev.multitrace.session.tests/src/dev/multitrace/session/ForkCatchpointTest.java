package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.testing.OrphanProcess;
import dev.multitrace.testing.TestPrograms;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fork and vfork catchpoints on forks.c, as gdb's {@code catch fork} and {@code catch vfork} with
 * follow-fork-mode parent and detach-on-fork on: the parent stops in its fork with the child's pid, the
 * other thread too (all-stop); the child runs free, untraced, and a fork child without our int3 bytes
 * (it runs through a breakpoint's address and exits normally); a vfork child's memory is the parent's,
 * whose breakpoint is out of it while the vfork runs and still stops the parent afterwards.
 */
class ForkCatchpointTest {

    private static final Pattern CHILD = Pattern.compile("(v?forked) process (\\d+)");

    private DebugSession session;
    private final Stops stops = new Stops();

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    private int startAtMain(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TestPrograms.path("forks").toString()));
        command.addAll(List.of(args));
        session = Samples.atMain(LaunchSpec.of(command.toArray(String[]::new)), stops);
        return session.pid();
    }

    /** A breakpoint on child_work's line, which the fork child runs and the parent after it. */
    private long plantInChildWork() {
        long[] at = session.symbols().addressesFor("forks.c", TestPrograms.mark("forks", "child-work"));
        session.addBreakpoint(new CodeBreakpoint("forks.c:child-work", at, null, 0, Set.of(), null));
        return at[0];
    }

    /** The child's pid the stop names, checking the stop says which kind of fork it was. */
    private static int childOf(Stops.Stop caught, String verb) {
        Matcher m = CHILD.matcher(caught.reason().detail());
        assertTrue(m.matches(), "the stop names the child: " + caught.reason());
        assertEquals(verb, m.group(1), caught.reason()::toString);
        return Integer.parseInt(m.group(2));
    }

    /**
     * All-stop: every thread of the process is held once the others' stops have come (a resume before
     * that leaves a straggler suspended: the all-stop race of docs/cdt.md).
     */
    private void awaitAllHeld() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!session.threads().stream().allMatch(session::isHeld)) {
            assertTrue(System.nanoTime() < deadline, "all threads held: " + session.threads());
            Thread.sleep(5);
        }
    }

    /** The child is let go at its first stop, which may come after the parent's: its TracerPid becomes 0. */
    private static String awaitUntraced(int child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String tracer = OrphanProcess.status(child, "TracerPid");
        while (tracer != null && !tracer.equals("0") && System.nanoTime() < deadline) {
            Thread.sleep(5);
            tracer = OrphanProcess.status(child, "TracerPid");
        }
        return tracer;
    }

    /** The program's exit code; if it does not end, what its threads are doing. */
    private int exitCode() throws Exception {
        try {
            return session.process().exitStatus().get(30, TimeUnit.SECONDS).code();
        } catch (java.util.concurrent.TimeoutException e) {
            List<String> states = new ArrayList<>();
            for (int tid : session.threads()) {
                states.add(tid + ": " + session.stateLabel(tid));
            }
            throw new AssertionError("the program did not end: " + states, e);
        }
    }

    @Test
    void aForkCatchpointStopsTheParentAndTheChildRunsFreeWithoutOurInt3() throws Exception {
        int pid = startAtMain();
        long work = plantInChildWork();
        session.addCatchpoint(EventCatchpoint.of(EventCatchpoint.Kind.FORK, "", "catch fork"));
        session.resumeAll();

        Stops.Stop caught = stops.next(pid, StopReason.Kind.EVENT);
        assertEquals("catch fork", caught.reason().breakpoint());
        int child = childOf(caught, "forked");
        assertEquals(String.valueOf(pid), OrphanProcess.status(child, "PPid"), "the child is the program's");
        awaitAllHeld();
        assertEquals(2, session.threads().size(), "main and the waiter, not the child: " + session.threads());
        assertTrue(session.frames(pid).stream().anyMatch(f -> "main".equals(f.functionName())
                && f.source().orElseThrow().line() == TestPrograms.mark("forks", "fork")), () -> "in main's fork: " + session.frames(pid));

        // The child waits on a pipe the held parent has not written yet: it is let go, and its copy of
        // the memory has the program's byte where the parent has our int3.
        assertEquals("0", awaitUntraced(child), "the child is not traced");
        byte original = session.examine(pid).read(work, 1)[0];
        assertEquals((byte) 0xcc, OrphanProcess.readByte(pid, work), "the parent's breakpoint is planted");
        assertTrue(original != (byte) 0xcc, "the program's own byte");
        assertEquals(original, OrphanProcess.readByte(child, work), "no int3 of ours in the child");

        // Resumed, the parent lets the child run child_work (exit 42, not SIGTRAP) and stops in it itself.
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        awaitAllHeld();
        session.resumeAll();
        assertEquals(42, exitCode(), "the child ran through the breakpoint's address and exited 42");
    }

    @Test
    void withoutAForkCatchpointAForkMakesNoStop() throws Exception {
        int pid = startAtMain();
        plantInChildWork();
        // a vfork catchpoint is not a fork's
        session.addCatchpoint(EventCatchpoint.of(EventCatchpoint.Kind.VFORK, "", "catch vfork"));
        session.resumeAll();
        // the first stop of the parent is its own call of child_work, after the child's end
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        awaitAllHeld();
        session.resumeAll();
        assertEquals(42, exitCode(), "the child ran through the breakpoint's address and exited 42");
    }

    @Test
    void aVforkCatchpointStopsTheParentAndTheBreakpointIsBackAfterTheVfork() throws Exception {
        int pid = startAtMain("vfork");
        long work = plantInChildWork();
        session.addCatchpoint(EventCatchpoint.of(EventCatchpoint.Kind.FORK, "", "catch fork"));
        session.addCatchpoint(EventCatchpoint.of(EventCatchpoint.Kind.VFORK, "", "catch vfork"));
        session.resumeAll();

        Stops.Stop caught = stops.next(pid, StopReason.Kind.EVENT);
        assertEquals("catch vfork", caught.reason().breakpoint(), "a vfork is not a fork");
        int child = childOf(caught, "vforked");
        awaitAllHeld();
        String tracer = awaitUntraced(child);
        assertTrue(tracer == null || tracer.equals("0"), "the child is not traced (or already reaped): " + tracer);
        // the memory the child shares is the parent's: as gdb does, the int3 is out of it until the vfork is done
        // (an untraced child running through it would die of SIGTRAP)
        assertTrue(OrphanProcess.readByte(pid, work) != (byte) 0xcc, "the parent's breakpoint is out while the vfork runs");

        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT); // back after the vfork: it still stops the parent
        awaitAllHeld();
        session.resumeAll();
        assertEquals(42, exitCode(), "the vfork child exited 42");
    }
}
