package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** VFORK_DONE (PTRACE_EVENT_VFORK_DONE): the parent's vfork is over, reported after the child's CLONE. */
class VforkDoneTest extends ServiceTest {

    private final List<String> log = new CopyOnWriteArrayList<>();

    private final EngineOps parent = new EngineOps() {
        @Override
        public ResumeAction clone(Engine engine, Task p, Task c, CloneKind kind) {
            log.add("CLONE:" + kind + ":" + c.tid());
            return ResumeAction.RESUME;
        }

        @Override
        public ResumeAction vforkDone(Engine engine, Task task, int childPid) {
            log.add("VFORK_DONE:" + childPid + (task.tid() == task.process().pid() ? "" : " (not the leader)"));
            return ResumeAction.RESUME;
        }
    };

    @Test
    void vforkDoneFollowsTheChildsExecAndItsExit() {
        for (String how : List.of("exec", "exit")) {
            log.clear();
            Engine e = tracing.launch(how.equals("exec") ? Programs.spec("vforker") : Programs.spec("vforker", "exit"),
                    parent, "parent", EnumSet.of(Event.CLONE, Event.VFORK_DONE));
            TracedProcess p = e.task().process();
            p.setFollowForks(true);
            e.control(ResumeAction.RESUME);
            assertEquals(0, await(p.exitStatus()).code());
            assertEquals(2, log.size(), how + ": " + log);
            String child = log.get(0).substring("CLONE:VFORK:".length());
            assertEquals(List.of("CLONE:VFORK:" + child, "VFORK_DONE:" + child), log, how);
        }
    }

    /** Not followed (the child let go at once), the parent still reports the end of its vfork. */
    @Test
    void vforkDoneWithoutFollowingTheChild() throws Exception {
        Engine e = tracing.launch(Programs.spec("vforker"), parent, "parent", EnumSet.of(Event.CLONE, Event.VFORK_DONE));
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        String out = Programs.readAll(p.stdout());
        assertEquals(0, await(p.exitStatus()).code());
        assertEquals("parent 2 child exit 3\n", out);
        assertEquals(1, log.size(), log.toString());
        assertEquals(true, log.get(0).matches("VFORK_DONE:\\d+"), log.toString());
    }

    /** An engine that did not ask for VFORK_DONE never sees it, and the parent runs on. */
    @Test
    void vforkDoneIsOnlyForEnginesThatAsk() {
        Recorder r = new Recorder();
        Engine e = tracing.launch(Programs.spec("vforker", "exit"), r, "r", EnumSet.of(Event.CLONE, Event.DEATH));
        e.control(ResumeAction.RESUME);
        assertEquals(0, await(e.task().process().exitStatus()).code());
        assertEquals(List.of("DEATH:exited with 0"), r.events());
    }
}
