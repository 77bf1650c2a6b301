package dev.multitrace.session;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.Task;
import dev.multitrace.core.Tracing;
import dev.multitrace.engines.SyscallFilter;
import dev.multitrace.engines.SyscallTracer;
import dev.multitrace.rsp.GdbServer;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The engines attached for a session besides the debugger (a syscall tracer, a GDB stub, any client's
 * engine): each on every thread of the process, and on each new thread from its clone on. Requests come
 * from any thread; new and reaped threads are reported on the tracer thread (the debugger's callbacks).
 */
final class ExtraEngines {

    private final DebugSession session;
    private final Tracing tracing;
    private final List<AttachedEngine> extras = new CopyOnWriteArrayList<>();

    ExtraEngines(DebugSession session) {
        this.session = session;
        this.tracing = session.tracing();
    }

    /**
     * Attaches an engine (with its own ops) to every thread of the process, and to each new
     * thread from now on. Another client than the debugger: its breakpoints and holds are its own.
     */
    AttachedEngine attach(String name, EngineOps engineOps, Set<Event> events) {
        return attach(name, engineOps, events, t -> tracing.attach(t, engineOps, name, events));
    }

    /** As {@link #attach(String, EngineOps, Set)}, with the engine's own way to attach to one thread. */
    private AttachedEngine attach(String name, EngineOps engineOps, Set<Event> events,
            java.util.function.Function<Task, Engine> attacher) {
        AttachedEngine a = new AttachedEngine(name, engineOps, events, attacher, null, null);
        extras.add(a);
        for (int tid : session.threads()) {
            Task t = session.process().task(tid);
            if (t != null) {
                a.perThread.put(tid, attacher.apply(t));
                session.fireEngines(tid);
            }
        }
        return a;
    }

    /**
     * The syscall tracer engine ({@link SyscallTracer}, strace's output format) on every thread,
     * writing one line per system call, signal and exit to {@code sink}. The sink is called on
     * the tracer thread and must not block.
     */
    AttachedEngine attachSyscallTracer(java.util.function.Consumer<String> sink) {
        SyscallTracer st = new SyscallTracer(tracing, new LineWriter(sink), SyscallFilter.all(), false, false);
        return attach(SyscallTracer.NAME, st, st.events(), st::attach);
    }

    /**
     * A GDB remote stub on TCP {@code port} of the loopback interface (0: any free port, see the
     * returned engine's name {@code gdbserver :PORT}), attached to every thread of the process.
     * As gdbserver does, it holds the threads until a client connects and continues them; a client
     * that detaches releases them. Its log lines go to {@code log} (must not block).
     *
     * @throws java.io.IOException if the port cannot be bound
     */
    AttachedEngine attachGdbStub(int port, java.util.function.Consumer<String> log) throws java.io.IOException {
        java.io.PrintWriter ps = new java.io.PrintWriter(new java.io.OutputStreamWriter(new LineOutputStream(log),
                java.nio.charset.StandardCharsets.UTF_8), true);
        GdbServer server = new GdbServer(tracing, null, port, new GdbServer.Options(false, true, false), ps);
        try {
            server.attach(session.pid());
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        server.start();
        // The stub attaches its engines itself (data "gdbserver") and follows new threads itself.
        java.util.function.Function<Task, Engine> finder = t -> t.engines().stream()
                .filter(e -> DebugSession.GDB_STUB_ENGINE.equals(e.data()) && !e.isDetached()).findFirst().orElse(null);
        AttachedEngine a = new AttachedEngine("gdbserver :" + server.port(), null, Set.of(), null, finder, server);
        a.lookupTask = session.process()::task;
        extras.add(a);
        for (int tid : session.threads()) {
            Task t = session.process().task(tid);
            if (t != null) {
                a.engine(t);
            }
            session.fireEngines(tid);
        }
        return a;
    }

    /** The engines attached for this session besides the debugger. */
    List<AttachedEngine> list() {
        return List.copyOf(extras);
    }

    /** Detaches an engine from every thread; its holds are released and its breakpoints removed. */
    void detach(AttachedEngine a) {
        extras.remove(a);
        a.detached = true;
        closeResource(a);
        for (int tid : session.threads()) {
            Task t = session.process().task(tid);
            Engine e = t == null ? null : a.engine(t);
            if (e != null) {
                e.detach();
                e.barrier(java.time.Duration.ofSeconds(10));
            }
            session.fireEngines(tid);
        }
        a.perThread.clear();
    }

    /** Closes what each engine holds outside the process (the GDB stub's listening socket); the session ended. */
    void closeResources() {
        for (AttachedEngine a : extras) {
            closeResource(a);
        }
    }

    private static void closeResource(AttachedEngine a) {
        if (a.resource != null) {
            try {
                a.resource.close();
            } catch (Exception e) {
                // closing a listening socket: nothing to do about a failure
            }
        }
    }

    /** Detaches every extra engine (the session detaches). */
    void detachAll() {
        for (AttachedEngine a : List.copyOf(extras)) {
            detach(a);
        }
    }

    /** A new thread (tracer thread, at its clone): every engine that attaches itself per thread joins it. */
    void threadAdded(Task child) {
        for (AttachedEngine a : extras) {
            if (a.attacher != null) {
                a.perThread.put(child.tid(), a.attacher.apply(child));
            }
        }
    }

    /** A thread was reaped (tracer thread): its engines are gone with it. */
    void threadRemoved(int tid) {
        for (AttachedEngine a : extras) {
            a.perThread.remove(tid);
        }
    }
}
