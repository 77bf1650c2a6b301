package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.Memory;
import dev.multitrace.testing.OrphanProcess;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * {@link EngineOps#forkLetGo}: with fork following off, the parent's CLONE engines are told of each child
 * the service lets go, in the parent's fork event stop; an engine may hold the parent there while the
 * child runs free.
 */
class ForkLetGoTest extends ServiceTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> reported = new CompletableFuture<>();

    private EngineOps parentOps(ResumeAction atFork) {
        return new EngineOps() {
            @Override
            public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
                log.add("CLONE:" + kind + ":" + child.tid());
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction forkLetGo(Engine engine, Task parent, int childPid, CloneKind kind) {
                log.add("LET_GO:" + kind + ":" + childPid + (parent.tid() == parent.process().pid() ? "" : " (not the leader)"));
                reported.complete(childPid);
                return atFork;
            }

            @Override
            public ResumeAction vforkDone(Engine engine, Task task, int childPid) {
                log.add("VFORK_DONE:" + childPid);
                return ResumeAction.RESUME;
            }
        };
    }

    @Test
    void aForkChildLetGoIsReportedInTheParentWithItsPid() {
        Engine e = tracing.launch(Programs.spec("forker"), parentOps(ResumeAction.RESUME), "parent", EnumSet.of(Event.CLONE));
        e.control(ResumeAction.RESUME);
        assertEquals(15, await(e.task().process().exitStatus()).code(), "the child exited 5");
        int child = reported.getNow(-1);
        assertTrue(child > 0, log::toString);
        assertEquals(List.of("LET_GO:FORK:" + child), log, "reported once, no CLONE: the child is not followed");
    }

    @Test
    void aVforkChildLetGoIsReportedBeforeTheEndOfTheVfork() throws Exception {
        Engine e = tracing.launch(Programs.spec("vforker", "exit"), parentOps(ResumeAction.RESUME), "parent",
                EnumSet.of(Event.CLONE, Event.VFORK_DONE));
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        assertEquals("parent 2 child exit 4\n", Programs.readAll(p.stdout()));
        assertEquals(0, await(p.exitStatus()).code());
        int child = reported.getNow(-1);
        assertEquals(List.of("LET_GO:VFORK:" + child, "VFORK_DONE:" + child), log);
    }

    /**
     * A vfork child let go runs in its parent's very memory, through code the parent's engine has a breakpoint in:
     * the int3 is out of memory until the vfork is done (else, untraced, the child dies of SIGTRAP), and back in
     * when the parent's engines hear of VFORK_DONE.
     */
    @Test
    void aVforkChildLetGoRunsThroughTheParentsBreakpointAndItIsBackAfterwards() throws Exception {
        String bin = Programs.path("vforkbp");
        long mark = BreakpointTest.symbol(bin, "child_mark");
        List<Byte> atVforkDone = new CopyOnWriteArrayList<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction vforkDone(Engine engine, Task task, int childPid) {
                atVforkDone.add(Memory.readFully(task.process().pid(), mark, 1)[0]);
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction breakpoint(Engine engine, Task task, long address) {
                log.add("BREAKPOINT in " + task.tid());
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("vforkbp"), ops, "parent", EnumSet.of(Event.BREAKPOINT, Event.VFORK_DONE));
        TracedProcess p = e.task().process();
        e.insertBreakpoint(mark);
        assertEquals((byte) 0xcc, Memory.readFully(p.pid(), mark, 1)[0], "planted");
        e.control(ResumeAction.RESUME);
        assertEquals("child exit 4\n", Programs.readAll(p.stdout()), "the child ran through child_mark, not killed by its int3");
        assertEquals(0, await(p.exitStatus()).code());
        assertEquals(List.of((byte) 0xcc), atVforkDone, "the int3 is back when the parent's engines hear the vfork is done");
        assertEquals(List.of(), log, "the parent never runs child_mark");
    }

    /** Held at the report, the parent waits; its child, let go, runs to its end untraced. */
    @Test
    void theChildRunsFreeWhileTheParentIsHeldAtTheReport() throws Exception {
        Engine e = tracing.launch(Programs.spec("forker"), parentOps(ResumeAction.STOP), "parent", EnumSet.of(Event.CLONE));
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        int child = reported.get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String state = OrphanProcess.status(child, "State");
        while ((state == null || !state.startsWith("Z")) && System.nanoTime() < deadline) {
            Thread.sleep(5);
            state = OrphanProcess.status(child, "State");
        }
        assertTrue(state != null && state.startsWith("Z"), "the child ran to its end, a zombie of the held parent: " + state);
        assertEquals("0", OrphanProcess.status(child, "TracerPid"), "not traced");
        assertFalse(p.exitStatus().isDone(), "the parent is held");
        e.control(ResumeAction.RESUME);
        assertEquals(15, await(p.exitStatus()).code());
    }
}
