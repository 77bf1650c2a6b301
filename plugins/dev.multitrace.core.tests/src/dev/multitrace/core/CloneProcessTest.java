package dev.multitrace.core;

import static dev.multitrace.core.Recorder.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * clone() without CLONE_THREAD (PTRACE_EVENT_CLONE, but a thread group of its own): a child
 * process like a fork child, never a thread of its parent's process, and still its parent's own
 * child for every wait the parent makes (the program aborts when a wait fails).
 */
class CloneProcessTest extends ServiceTest {

    private static final String OUTPUT = "clone child exit 6\nclone child exit 9\n";

    @Test
    void cloneChildrenWithoutCloneThreadAreProcessesWhenFollowed() throws Exception {
        List<CloneKind> kinds = new CopyOnWriteArrayList<>();
        Map<Integer, Recorder> children = new ConcurrentHashMap<>();
        List<Integer> childPids = new CopyOnWriteArrayList<>();
        List<Boolean> sameProcess = new CopyOnWriteArrayList<>();
        EngineOps parent = new EngineOps() {
            @Override
            public ResumeAction clone(Engine engine, Task p, Task c, CloneKind kind) {
                kinds.add(kind);
                childPids.add(c.process().pid());
                sameProcess.add(c.process() == p.process() || c.tid() != c.process().pid());
                Recorder r = new Recorder();
                children.put(c.tid(), r);
                tracing.attach(c, r, "child", EnumSet.of(Event.EXIT, Event.DEATH));
                return ResumeAction.RESUME;
            }
        };
        Engine e = tracing.launch(Programs.spec("clonewait"), parent, "parent", EnumSet.of(Event.CLONE));
        TracedProcess p = e.task().process();
        p.setFollowForks(true);
        e.control(ResumeAction.RESUME);
        String out = Programs.readAll(p.stdout());
        assertEquals(0, await(p.exitStatus()).code(), out);
        assertEquals(OUTPUT, out);
        assertEquals(List.of(CloneKind.PROCESS_SHARED_VM, CloneKind.FORK), kinds);
        assertEquals(2, childPids.size());
        for (int pid : childPids) {
            assertNotEquals(p.pid(), pid);
        }
        assertEquals(List.of("EXIT:" + childPids.get(0), "DEATH:exited with 6"), children.get(childPids.get(0)).events());
        assertEquals(List.of("EXIT:" + childPids.get(1), "DEATH:exited with 9"), children.get(childPids.get(1)).events());
        assertEquals(List.of(false, false), sameProcess, "each child leads a process of its own");
    }

    @Test
    void cloneChildrenWithoutCloneThreadAreLetGoWhenNotFollowed() throws Exception {
        Recorder r = new Recorder();
        Engine e = tracing.launch(Programs.spec("clonewait"), r, "parent", EnumSet.of(Event.CLONE, Event.DEATH));
        TracedProcess p = e.task().process();
        e.control(ResumeAction.RESUME);
        String out = Programs.readAll(p.stdout());
        assertEquals(0, await(p.exitStatus()).code(), out);
        assertEquals(OUTPUT, out);
        assertEquals(List.of("DEATH:exited with 0"), r.events());
    }
}
