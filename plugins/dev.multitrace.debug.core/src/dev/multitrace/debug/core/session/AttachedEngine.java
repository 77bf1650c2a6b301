package dev.multitrace.debug.core.session;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Result;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    volatile boolean detached;

    AttachedEngine(String name, EngineOps ops, Set<Event> events) {
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
