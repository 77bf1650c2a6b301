package dev.multitrace.debug.core.session;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A syscall tracer engine: one line per completed system call, {@code [tid] syscall 1(0x1, 0x4052a0, 0xc) = 12},
 * handed to a sink that must not block (it runs on the tracer thread). It never holds a thread by
 * itself; {@link AttachedEngine#hold} makes it hold one.
 */
public final class SyscallLogEngine implements EngineOps {

    public static final String NAME = "syscall tracer";
    public static final Set<Event> EVENTS = EnumSet.of(Event.SYSCALL_ENTRY, Event.SYSCALL_EXIT);

    private final Consumer<String> sink;
    private final AtomicLong calls = new AtomicLong();
    /** Tracer-thread only: the entry seen for each thread, printed at its exit. */
    private final Map<Integer, long[]> entries = new ConcurrentHashMap<>();

    public SyscallLogEngine(Consumer<String> sink) {
        this.sink = sink;
    }

    /** System calls completed so far. */
    public long calls() {
        return calls.get();
    }

    @Override
    public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        long[] a = report.args();
        entries.put(task.tid(), new long[] {report.number(), a[0], a[1], a[2]});
        return engine.holdsStop() ? ResumeAction.STOP : ResumeAction.RESUME;
    }

    @Override
    public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
        long[] e = entries.remove(task.tid());
        calls.incrementAndGet();
        if (e != null) {
            sink.accept("[" + task.tid() + "] syscall " + e[0] + "(0x" + Long.toHexString(e[1]) + ", 0x"
                    + Long.toHexString(e[2]) + ", 0x" + Long.toHexString(e[3]) + ") = " + report.returnValue());
        }
        return engine.holdsStop() ? ResumeAction.STOP : ResumeAction.RESUME;
    }
}
