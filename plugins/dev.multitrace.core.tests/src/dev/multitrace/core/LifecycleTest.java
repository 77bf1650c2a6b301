package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.Signal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** Task lifetimes: exit, death and reap; SIGKILL; exec by a non-leader; many threads. */
class LifecycleTest extends ServiceTest {

    private static final Set<Event> LIFE = EnumSet.of(Event.EXIT, Event.DEATH, Event.REAP);




    @Test
    void exitThenDeathThenReapInThatOrder() {
        Recorder r = new Recorder();
        Engine e = tracing.launch(Programs.spec("exit7"), r, "life", LIFE);
        int pid = e.task().tid();
        e.control(ResumeAction.RESUME);
        assertEquals(7, await(e.task().process().exitStatus()).code());
        assertEquals(List.of("EXIT:" + pid, "DEATH:exited with 7", "REAP"), r.events());
        assertEquals(Result.ALREADY, e.control(ResumeAction.STOP), "after REAP the engine is gone");
    }

    @Test
    void anEngineThatDetachesInDeathGetsNoReap() {
        Recorder r = new Recorder() {
            @Override
            public ResumeAction death(Engine engine, Task task, ExitStatus status) {
                super.death(engine, task, status);
                return ResumeAction.DETACH;
            }
        };
        Engine e = tracing.launch(Programs.spec("exit7"), r, "life", LIFE);
        e.control(ResumeAction.RESUME);
        await(e.task().process().exitStatus());
        assertEquals(List.of("EXIT:" + e.task().tid(), "DEATH:exited with 7"), r.events());
    }

    /** SIGKILL breaks every STOP: a held task reports DEATH and REAP, and calls on it answer at once. */
    @Test
    void sigkillOfAHeldTaskReportsDeathAndReapAndNoCallHangs() {
        Recorder holder = new Recorder();
        Engine e = tracing.launch(Programs.spec("exit7"), holder, "holder", LIFE);
        Recorder other = new Recorder();
        Engine o = tracing.attach(e.task(), other, "other", LIFE);
        assertEquals(Result.OK, o.control(ResumeAction.STOP));
        TracedProcess p = e.task().process();
        LibC.kill(p.pid(), Signal.SIGKILL);
        ExitStatus st = await(p.exitStatus());
        assertEquals(Signal.SIGKILL, st.signal());
        assertTrue(holder.events().containsAll(List.of("DEATH:killed by SIGKILL", "REAP")), holder.events().toString());
        assertTrue(other.events().containsAll(List.of("DEATH:killed by SIGKILL", "REAP")), other.events().toString());
        assertTrue(holder.events().indexOf("REAP") == holder.events().size() - 1, "REAP is the last callback");
        assertEquals(Result.ALREADY, o.control(ResumeAction.RESUME));
        assertEquals(Result.ALREADY, e.detach());
    }

    /**
     * SIGKILL breaks a STOP held by an engine that did not ask for EXIT: the kernel still stops
     * the dying task at PTRACE_EVENT_EXIT, and nobody may keep it there.
     */
    @Test
    void sigkillBreaksAStopHeldByAnEngineWithoutExitInItsMask() {
        Recorder holder = new Recorder();
        Engine e = tracing.launch(Programs.spec("exit7"), holder, "holder", EnumSet.of(Event.DEATH, Event.REAP));
        TracedProcess p = e.task().process();
        LibC.kill(p.pid(), Signal.SIGKILL);
        assertEquals(Signal.SIGKILL, await(p.exitStatus()).signal());
        assertEquals(List.of("DEATH:killed by SIGKILL", "REAP"), holder.events());
    }

    /** A non-leader thread execs: EXEC is reported on the leader's tid, with the former tid, and the program runs on. */
    @Test
    void execFromANonLeaderThreadTakesTheLeadersTid() {
        CompletableFuture<Integer> former = new CompletableFuture<>();
        AtomicInteger clones = new AtomicInteger();
        EngineOps ops = new Recorder() {
            @Override
            public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
                clones.incrementAndGet();
                tracing.attach(child, this, "follower", EnumSet.of(Event.EXEC, Event.CLONE));
                return ResumeAction.RESUME;
            }

            @Override
            public ResumeAction exec(Engine engine, Task task, int formerTid) {
                if (task.tid() == task.process().pid()) {
                    former.complete(formerTid);
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("execthread"), ops, "leader", EnumSet.of(Event.EXEC, Event.CLONE));
        int pid = e.task().tid();
        e.control(ResumeAction.RESUME);
        int f = await(former);
        assertEquals(1, clones.get());
        assertTrue(f != pid, "the exec came from the other thread (" + f + ")");
        assertEquals(0, await(e.task().process().exitStatus()).code(), "/bin/true ran and exited 0");
    }

    /**
     * The exec of a non-leader thread goes on in that thread's Task: its engines get EXEC (on the
     * leader's tid, with the former tid), the old leader's engines its DEATH and REAP, never an
     * exit status of the process.
     */
    @Test
    void execFromANonLeaderThreadGoesOnInTheExecingThreadsTask() {
        Recorder leader = new Recorder();
        Recorder follower = new Recorder();
        CompletableFuture<Task> execer = new CompletableFuture<>();
        EngineOps parent = new EngineOps() {
            @Override
            public ResumeAction clone(Engine engine, Task p, Task child, CloneKind kind) {
                execer.complete(child);
                tracing.attach(child, follower, "follower", EnumSet.of(Event.EXEC, Event.DEATH));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("execthread"), parent, "parent", EnumSet.of(Event.CLONE));
        tracing.attach(e.task(), leader, "leader", EnumSet.of(Event.EXEC, Event.DEATH, Event.REAP));
        int pid = e.task().tid();
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code(), "/bin/true ran and exited 0");
        Task t = await(execer);
        assertEquals(List.of("DEATH:exited with 0", "REAP"), leader.events());
        assertEquals(2, follower.events().size(), follower.events().toString());
        assertTrue(follower.events().get(0).matches("EXEC:\\d+") && !follower.events().get(0).equals("EXEC:" + pid),
                follower.events().toString());
        assertEquals("DEATH:exited with 0", follower.events().get(1));
        assertEquals(pid, t.tid(), "the exec'ing thread's Task has the leader's tid");
    }

    /** 100 threads created and exiting while traced: every CLONE reported, every child's death seen, result intact. */
    @Test
    void hundredThreadsCreatedAndExitingWhileTraced() {
        AtomicInteger clones = new AtomicInteger();
        AtomicInteger childDeaths = new AtomicInteger();
        EngineOps child = new EngineOps() {
            @Override
            public ResumeAction death(Engine engine, Task task, ExitStatus status) {
                childDeaths.incrementAndGet();
                return ResumeAction.RESUME;
            }
        };
        EngineOps parent = new EngineOps() {
            @Override
            public ResumeAction clone(Engine engine, Task p, Task c, CloneKind kind) {
                clones.incrementAndGet();
                tracing.attach(c, child, "child", EnumSet.of(Event.DEATH, Event.SYSCALL_ENTRY));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("threads100"), parent, "parent", EnumSet.of(Event.CLONE));
        e.control(ResumeAction.RESUME);
        ExitStatus st = await(e.task().process().exitStatus());
        assertEquals(0, st.code(), "the program's own check of its threads' results");
        assertEquals(100, clones.get());
        assertEquals(100, childDeaths.get());
    }
    /**
     * A program the service launched and let go stays the JVM's child: killed just before the
     * service closes (as `multitrace trace` does on Ctrl-C) or ending after it closed, it is
     * reaped, never left a zombie of the JVM, and its exit status still comes.
     */
    @Test
    void detachedProgramsAreReapedAfterTheServiceCloses() throws Exception {
        Engine before = tracing.launch(LaunchSpec.of("/bin/sleep", "60"), new Recorder(), "launcher", LIFE);
        Engine after = tracing.launch(LaunchSpec.of("/bin/sleep", "60"), new Recorder(), "launcher", LIFE);
        TracedProcess killedBefore = before.task().process();
        TracedProcess killedAfter = after.task().process();
        before.control(ResumeAction.RESUME);
        after.control(ResumeAction.RESUME);
        tracing.detach(killedBefore);
        tracing.detach(killedAfter);
        LibC.kill(killedBefore.pid(), Signal.SIGKILL);
        tracing.close();
        LibC.kill(killedAfter.pid(), Signal.SIGKILL);
        for (TracedProcess p : List.of(killedBefore, killedAfter)) {
            ExitStatus st = p.exitStatus().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(Signal.SIGKILL, st.signal(), p + ": " + st);
            java.nio.file.Path proc = java.nio.file.Path.of("/proc", Integer.toString(p.pid()));
            long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (java.nio.file.Files.exists(proc) && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertTrue(!java.nio.file.Files.exists(proc), p + " reaped, not left a zombie of the JVM");
        }
    }
}
