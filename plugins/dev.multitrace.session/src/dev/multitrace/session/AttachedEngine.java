package dev.multitrace.session;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Result;
import dev.multitrace.core.Task;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * An engine other than the debugger (a syscall tracer, a GDB stub, a counter) that a session
 * attached to every thread of its process, and attaches to each new thread. One {@link EngineOps}
 * instance, one service {@link Engine} per thread.
 */
public final class AttachedEngine {

    private final String name;
    private final EngineOps ops;
    private final Set<Event> events;
    final Map<Integer, Engine> perThread = new ConcurrentHashMap<>();
    /**
     * How this engine attaches to one more thread (its own attach where it keeps a list of its
     * engines); null where the engine follows new threads by itself (the GDB stub).
     */
    final Function<Task, Engine> attacher;
    /** Finds this engine on a thread when {@link #perThread} does not know it (engines that attach themselves). */
    final Function<Task, Engine> finder;
    /** What else detaching ends (the stub's listening socket); may be null. */
    final AutoCloseable resource;
    volatile boolean detached;
    /** The session's task lookup, for {@link #finder}. */
    volatile Function<Integer, Task> lookupTask;

    AttachedEngine(String name, EngineOps ops, Set<Event> events, Function<Task, Engine> attacher,
            Function<Task, Engine> finder, AutoCloseable resource) {
        this.attacher = attacher;
        this.finder = finder;
        this.resource = resource;
        this.name = name;
        this.ops = ops;
        this.events = events.isEmpty() ? EnumSet.noneOf(Event.class) : EnumSet.copyOf(events);
    }

    public String name() {
        return name;
    }

    public EngineOps ops() {
        return ops;
    }

    public Set<Event> events() {
        return Set.copyOf(events);
    }

    /** Its engine on thread {@code tid}, or null. */
    public Engine engine(int tid) {
        return perThread.get(tid);
    }

    /** Its engine on a task, looked up on the task when it attached itself. */
    Engine engine(Task t) {
        Engine e = perThread.get(t.tid());
        if (e == null && finder != null) {
            e = finder.apply(t);
            if (e != null) {
                perThread.put(t.tid(), e);
            }
        }
        return e;
    }

    public boolean isDetached() {
        return detached;
    }

    /**
     * Makes this engine hold thread {@code tid} stopped (as it would by answering STOP from a
     * callback): the debugger's resume then leaves the thread stopped until {@link #release}.
     *
     * @return the service's answer (IN_PROGRESS while a running thread is being stopped)
     */
    public Result hold(int tid) {
        Engine e = require(tid);
        return e.control(ResumeAction.STOP);
    }

    /** Releases this engine's hold on thread {@code tid}. */
    public Result release(int tid) {
        return require(tid).control(ResumeAction.RESUME);
    }

    private Engine require(int tid) {
        Engine e = perThread.get(tid);
        if (e == null && finder != null && lookupTask != null) {
            Task t = lookupTask.apply(tid);
            e = t == null ? null : engine(t);
        }
        if (e == null) {
            throw new IllegalArgumentException(name + " is not attached to thread " + tid);
        }
        return e;
    }

    @Override
    public String toString() {
        return name;
    }
}
