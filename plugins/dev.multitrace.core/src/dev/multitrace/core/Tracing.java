package dev.multitrace.core;

import dev.multitrace.linux.Personality;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The tracing service: the one ptrace tracer of the processes it traces, multiplexing any number
 * of {@link Engine}s over that single attachment (utrace's engine model, in user space).
 * <p>
 * Every method may be called from any thread, including from engine callbacks. The service owns one
 * platform thread, the tracer thread, which issues every ptrace and wait call and runs every
 * callback; see {@link Tracer} for the rules it keeps.
 */
public final class Tracing implements AutoCloseable {

    private final Tracer tracer;

    private Tracing() {
        tracer = new Tracer();
    }

    /** Starts a service (its tracer thread). */
    public static Tracing start() {
        return new Tracing();
    }

    /**
     * Launches a program stopped before its first instruction (at its exec), without the JDK's
     * process machinery (whose reaper would steal ptrace stops). The returned engine holds the
     * task stopped: attach other engines, then resume it with {@code control(RESUME)}. The program
     * dies with the service (PTRACE_O_EXITKILL). With {@link LaunchSpec#disableRandomization()} the
     * tracer thread holds {@code ADDR_NO_RANDOMIZE} for the launch, and the program, spawned from that
     * thread, inherits it ({@link Personality}: per thread, read only at exec).
     */
    public Engine launch(LaunchSpec spec, EngineOps ops, Object data, Set<Event> events) {
        return tracer.call(() -> {
            if (!spec.disableRandomization()) {
                return tracer.launch(spec, ops, data, Event.mask(events));
            }
            try (Personality.Scope s = Personality.noRandomization()) {
                return tracer.launch(spec, ops, data, Event.mask(events));
            }
        });
    }

    /**
     * Attaches an engine to a task (a thread id). A task not yet traced makes the service seize its
     * whole process; nothing is left stopped by the attach itself.
     *
     * @param flags {@link AttachFlags}: without CREATE a look-up that returns the matching engine or null
     * @throws dev.multitrace.linux.NoSuchTaskException if there is no such task
     * @throws dev.multitrace.linux.PermissionDeniedException with the reason (another tracer, ptrace_scope, credentials)
     * @throws TracingException if EXCLUSIVE and a matching engine is attached
     */
    public Engine attach(int tid, EngineOps ops, int flags, Object data, Set<Event> events) {
        return tracer.call(() -> tracer.attach(tid, ops, flags, data, Event.mask(events)));
    }

    /** Attaches a new engine to a task the service already traces (e.g. a child from a CLONE report). */
    public Engine attach(Task task, EngineOps ops, Object data, Set<Event> events) {
        return attach(task.tid(), ops, AttachFlags.CREATE, data, events);
    }

    /**
     * Attaches one engine per thread of a process (seizing it if needed, waiting for each thread
     * per tid). With {@code stop}, each engine holds its thread stopped when this returns.
     */
    public List<Engine> attachProcess(int pid, EngineOps ops, Object data, Set<Event> events, boolean stop) {
        return tracer.call(() -> tracer.attachAll(pid, ops, data, Event.mask(events), stop));
    }

    /** The processes traced now. */
    public List<TracedProcess> processes() {
        return List.copyOf(tracer.processes().values());
    }

    public Optional<TracedProcess> process(int pid) {
        return Optional.ofNullable(tracer.processes().get(pid));
    }

    public Optional<Task> task(int tid) {
        return Optional.ofNullable(tracer.call(() -> tracer.task(tid)));
    }

    /** Detaches every engine of the process and the service from it, leaving it running (or job-control stopped). */
    public void detach(TracedProcess p) {
        tracer.call(() -> {
            tracer.detachProcess(p);
            return null;
        });
    }

    /** Sends SIGKILL to the process; DEATH and REAP follow for every engine. */
    public void kill(TracedProcess p) {
        tracer.kill(p);
    }

    /** Where callback failures go (default: the platform logger). The engines and tasks are unaffected. */
    public void onCallbackError(Consumer<Throwable> handler) {
        tracer.errorHandler = handler;
    }

    /**
     * What this machine's debug registers do (hardware watchpoints and execute breakpoints), found
     * out once per JVM on a helper process of the service's own, then kept. Where they do not trap,
     * watchpoints are kept in software ({@link WatchMethod}).
     */
    public static DebugRegisterSupport debugRegisters() {
        return DebugRegisterProbe.support();
    }

    /** All signal events: an engine asking for these sees every signal, whatever its disposition. */
    public static Set<Event> allSignals() {
        return EnumSet.of(Event.SIGNAL, Event.SIGNAL_IGN, Event.SIGNAL_STOP, Event.SIGNAL_TERM, Event.SIGNAL_CORE);
    }

    /** Kills the processes the service launched, detaches from the others, and ends the tracer thread. */
    @Override
    public void close() {
        tracer.close();
    }
}
