package dev.multitrace.engines;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;
import dev.multitrace.core.Tracing;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * A probe engine: counts the syscalls of a process's threads by name and the hits of the
 * breakpoints it plants (its probes), without ever stopping anything, for the IDE's Engines view.
 * It follows new threads. Counters are readable from any thread while the callbacks (tracer
 * thread) add to them.
 */
public final class CallCounter implements EngineOps, CountingEngine {

    /** The engine data naming this engine in views. */
    public static final String NAME = "call counter";

    private final Tracing tracing;
    private final Map<String, LongAdder> syscalls = new ConcurrentHashMap<>();
    private final Map<Long, LongAdder> hits = new ConcurrentHashMap<>();
    private final List<Engine> engines = new CopyOnWriteArrayList<>();

    public CallCounter(Tracing tracing) {
        this.tracing = tracing;
    }

    public Set<Event> events() {
        return EnumSet.of(Event.SYSCALL_ENTRY, Event.BREAKPOINT, Event.CLONE, Event.DEATH);
    }

    /** Counts every thread of a process (traced already by other engines or not). */
    public void attach(int pid) {
        engines.addAll(tracing.attachProcess(pid, this, NAME, events(), false));
    }

    /** Counts one task the service already traces. */
    public Engine attach(Task task) {
        Engine e = tracing.attach(task, this, NAME, events());
        engines.add(e);
        return e;
    }

    /**
     * Plants a probe (a service breakpoint owned by this counter) at {@code address}; hits on any
     * thread it counts are counted and the thread runs on at once.
     */
    public void probe(long address) {
        if (engines.isEmpty()) {
            throw new IllegalStateException("attach the counter before planting probes");
        }
        hits.putIfAbsent(address, new LongAdder());
        engines.get(0).insertBreakpoint(address);
    }

    public void removeProbe(long address) {
        if (!engines.isEmpty()) {
            engines.get(0).removeBreakpoint(address);
        }
    }

    /** The engines of this counter now, one per counted thread. */
    public List<Engine> engines() {
        return List.copyOf(engines);
    }

    @Override
    public String engineName() {
        return NAME;
    }

    /** "syscalls" and "probe hits" totals, then each syscall's count by name. */
    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("syscalls", totalSyscalls());
        m.put("probe hits", totalHits());
        m.putAll(syscallCounts());
        return m;
    }

    /** Calls of one syscall so far. */
    public long syscalls(String name) {
        LongAdder a = syscalls.get(name);
        return a == null ? 0 : a.sum();
    }

    /** Every syscall counted so far, by name (sorted). */
    public Map<String, Long> syscallCounts() {
        Map<String, Long> m = new TreeMap<>();
        syscalls.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public long totalSyscalls() {
        return syscalls.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Hits of the probe at {@code address} so far. */
    public long hits(long address) {
        LongAdder a = hits.get(address);
        return a == null ? 0 : a.sum();
    }

    public long totalHits() {
        return hits.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Stops counting: probes are removed with the engines (the service takes their int3 out). */
    public void detach() {
        for (Engine e : engines) {
            e.detach();
        }
        for (Engine e : engines) {
            e.barrier(Duration.ofSeconds(10));
        }
        engines.clear();
    }

    @Override
    public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        syscalls.computeIfAbsent(Syscalls.name(report.number()), k -> new LongAdder()).increment();
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction breakpoint(Engine engine, Task task, long address) {
        hits.computeIfAbsent(address, k -> new LongAdder()).increment();
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        if (kind == CloneKind.THREAD) {
            engines.add(tracing.attach(child, this, NAME, events()));
        }
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        engines.remove(engine);
        return ResumeAction.RESUME;
    }
}
