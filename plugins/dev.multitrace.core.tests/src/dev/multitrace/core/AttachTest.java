package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attaching to processes the service did not start (here: children of the test thread), and the
 * ptrace-tests classics around job control and signals in syscall stops.
 */
class AttachTest extends ServiceTest {

    private SpawnedProcess target;


    @AfterEach
    void killTarget() {
        if (target != null) {
            LibC.kill(target.pid(), Signal.SIGKILL);
            LibC.kill(target.pid(), Signal.SIGCONT);
            LibC.waitpid(target.pid(), new int[1], PtraceConstants.__WALL);
        }
    }

    /** Starts mtwait (main + 3 threads) as the test thread's own child and waits for its "ready". */
    private SpawnedProcess startMultithreaded() throws Exception {
        target = new Spawner(List.of(Programs.path("mtwait"))).start();
        target.release();
        assertEquals("ready", Programs.readLine(target.stdout()));
        return target;
    }

    private static void awaitState(int pid, char state) {
        // The kernel gives no notification to a non-parent of a group stop: poll /proc, with a deadline.
        long deadline = System.nanoTime() + 10_000_000_000L;
        for (int tid : ProcFs.tasks(pid)) {
            while (Programs.state(tid) != state) {
                assertTrue(System.nanoTime() < deadline, "task " + tid + " never reached state " + state);
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void attachToEveryThreadHoldsThemAndDetachLeavesItRunning() throws Exception {
        SpawnedProcess p = startMultithreaded();
        List<Engine> engines = tracing.attachProcess(p.pid(), new Recorder(), "dbg", EnumSet.of(Event.QUIESCE), true);
        assertEquals(4, engines.size());
        for (Engine e : engines) {
            assertEquals('t', Programs.state(e.task().tid()));
            assertTrue(e.examine().registers().pc() != 0);
            assertTrue(ProcFs.status(e.task().tid()).tracerPid() != 0, "traced");
        }
        for (Engine e : engines) {
            e.detach();
        }
        for (int tid : ProcFs.tasks(p.pid())) {
            assertEquals(0, ProcFs.status(tid).tracerPid(), "detached");
        }
        p.stdin().close(); // mtwait exits at end of input: it runs again
        int[] st = new int[1];
        assertEquals(p.pid(), LibC.waitpid(p.pid(), st, PtraceConstants.__WALL));
        assertEquals(0, st[0]);
        target = null;
    }

    /** ptrace-tests: detach from a group-stopped multithreaded process leaves it stopped. */
    @Test
    void detachFromAGroupStoppedMultithreadedProcessLeavesItStopped() throws Exception {
        SpawnedProcess p = startMultithreaded();
        LibC.kill(p.pid(), Signal.SIGSTOP);
        awaitState(p.pid(), 'T');
        // ptrace-tests: attaching to a stopped process works and does not hang.
        List<Engine> engines = tracing.attachProcess(p.pid(), new Recorder(), "dbg", EnumSet.of(Event.JCTL), true);
        assertEquals(4, engines.size());
        assertTrue(engines.get(0).task().process().wasGroupStoppedAtAttach);
        assertTrue(engines.get(0).examine().registers().sp() != 0, "a stopped task can be examined");
        for (Engine e : engines) {
            e.control(ResumeAction.RESUME); // engines resume: the group stop stays (PTRACE_LISTEN)
        }
        for (Engine e : engines) {
            assertTrue(e.task().state().startsWith("job control stop"), e.task().state());
        }
        tracing.detach(engines.get(0).task().process());
        // PTRACE_DETACH wakes each thread, which re-enters the group stop by itself: wait for T.
        awaitState(p.pid(), 'T');
        for (int tid : ProcFs.tasks(p.pid())) {
            assertEquals(0, ProcFs.status(tid).tracerPid());
        }
        // And it stays stopped: nothing but SIGCONT (the test's @AfterEach) would end the stop.
        assertEquals('T', Programs.state(p.pid()));
    }

    /** ptrace-tests: a signal sent while the task sits in a syscall stop is not lost. */
    @Test
    void aSignalSentDuringASyscallStopIsNotLost() {
        CompletableFuture<Void> inSyscall = new CompletableFuture<>();
        EngineOps ops = new EngineOps() {
            @Override
            public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
                if (report.number() == 110) {
                    inSyscall.complete(null);
                    return ResumeAction.STOP;
                }
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("sigduringsys"), ops, "sys", EnumSet.of(Event.SYSCALL_ENTRY));
        e.control(ResumeAction.RESUME);
        await(inSyscall);
        LibC.kill(e.task().tid(), Signal.SIGUSR1);
        e.setEvents(EnumSet.noneOf(Event.class));
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code(), "the program saw SIGUSR1 (exits 1 if lost)");
    }

    @Test
    void attachingToAMissingPidSaysSo() {
        NoSuchTaskException x = assertThrows(NoSuchTaskException.class,
                () -> tracing.attach(999_999_9, new Recorder(), AttachFlags.CREATE, null, EnumSet.of(Event.QUIESCE)));
        assertTrue(x.getMessage().contains("9999999"), x.getMessage());
    }

    @Test
    void exclusiveAttachFailsWhereAMatchingEngineExistsAndLookupFindsIt() {
        Recorder ops = new Recorder();
        Engine e = tracing.launch(Programs.spec("exit7"), ops, "one", EnumSet.of(Event.EXIT));
        int tid = e.task().tid();
        assertThrows(TracingException.class, () -> tracing.attach(tid, ops,
                AttachFlags.CREATE | AttachFlags.EXCLUSIVE | AttachFlags.MATCH_OPS, "two", EnumSet.of(Event.EXIT)));
        assertEquals(e, tracing.attach(tid, ops, AttachFlags.MATCH_DATA, "one", EnumSet.of(Event.EXIT)));
        assertEquals(null, tracing.attach(tid, ops, AttachFlags.MATCH_DATA, "none", EnumSet.of(Event.EXIT)));
        e.control(ResumeAction.RESUME);
        assertEquals(7, await(e.task().process().exitStatus()).code());
    }
}
