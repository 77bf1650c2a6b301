package dev.multitrace.engines;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.HostProcesses;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SignalAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.SyscallReport;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import java.io.Writer;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An strace-like engine: prints every syscall of the tasks it is attached to as
 * {@code name(args) = result}, their signals ({@code --- SIGUSR1 {...} ---}) and exits
 * ({@code +++ exited with 0 +++}) on its own writer. It is one engine among others: it can join
 * tasks a debugger or the GDB stub already trace, sees every syscall they make whatever the other
 * engines do, never changes what the task does, and can leave at any time.
 * <p>
 * Threading: the callbacks run on the service's tracer thread and alone touch {@link #pending};
 * {@link #detach} and the counters may be used from any thread.
 */
public final class SyscallTracer implements EngineOps, CountingEngine {

    /** The engine data naming this engine in views ({@code multitrace ps}, the IDE's Engines view). */
    public static final String NAME = "syscall tracer";

    private final Tracing tracing;
    private final TraceOutput out;
    private final SyscallFilter filter;
    private final boolean follow;
    private final EngineGroup engines = new EngineGroup();
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong signals = new AtomicLong();
    /** Tracer thread only: syscalls whose entry was printed and whose exit has not come yet, by tid. */
    private final Map<Integer, Pending> pending = new HashMap<>();
    /**
     * Tracer thread only: per task, the last call that returned ERESTART_RESTARTBLOCK, the one a
     * later restart_syscall resumes and names. A restart_syscall interrupted in turn keeps the
     * name of the call it resumes, as strace does since its syscall.c carries s_prev_ent across
     * restart_syscall (strace 6.1 still printed "resuming interrupted restart_syscall" there).
     */
    private final Map<Integer, String> interrupted = new HashMap<>();
    /**
     * The call each task was in when this tracer attached to it, from /proc (read by the
     * attaching thread): a task stopped where a sleep was interrupted (by the attach itself, or by
     * the debugger that holds it) resumes through restart_syscall before this tracer saw any exit.
     * Consulted only when {@link #interrupted} knows nothing of the task.
     */
    private final Map<Integer, String> inCallAtAttach = new ConcurrentHashMap<>();
    /**
     * The pid whose launch execve line is still to be printed (0: none) and the argv the launch
     * passed: set by {@link #launch} while the task is held, read by the tracer thread.
     */
    private volatile int launchedPid;
    private volatile List<String> launchedArgv = List.of();
    private volatile boolean detached;

    private record Pending(String name, long[] args, int from) {
    }

    private static final String RESTART_SYSCALL = "restart_syscall";
    /** The kernel's "restart through restart_syscall" return (include/linux/errno.h). */
    private static final long ERESTART_RESTARTBLOCK = 516;
    /** What strace's restart_syscall line says when it does not know the resumed call. */
    private static final String UNKNOWN_CALL = "system call";

    /**
     * @param out    where the lines go (flushed at each line)
     * @param filter which syscalls to print
     * @param follow follow new threads and forked processes ({@code -f}), prefixing lines with the pid
     * @param toFile the output is a file ({@code -o}): with {@code follow}, every line starts with its pid
     */
    public SyscallTracer(Tracing tracing, Writer out, SyscallFilter filter, boolean follow, boolean toFile) {
        this.tracing = tracing;
        this.filter = filter;
        this.follow = follow;
        this.out = new TraceOutput(out, follow && toFile ? TraceOutput.Prefix.ALWAYS : TraceOutput.Prefix.WHEN_SEVERAL);
    }

    /** The events this engine asks for. */
    public Set<Event> events() {
        EnumSet<Event> e = EnumSet.of(Event.SYSCALL_ENTRY, Event.SYSCALL_EXIT, Event.EXIT, Event.DEATH);
        e.addAll(Tracing.allSignals());
        if (follow) {
            e.add(Event.CLONE);
        }
        return e;
    }

    /**
     * Launches a program under this tracer (its first line is its execve) and lets it run.
     * The program runs with the service: it is killed if the service closes first.
     */
    public TracedProcess launch(LaunchSpec spec) {
        Engine e = tracing.launch(spec, this, NAME, events());
        TracedProcess p = e.task().process();
        if (follow) {
            p.setFollowForks(true);
        }
        launchedArgv = spec.command();
        launchedPid = p.pid();
        added(e);
        e.control(ResumeAction.RESUME);
        return p;
    }

    /**
     * Attaches to a running process: all its threads with {@code follow}, else only the thread
     * {@code pid} (as {@code strace -p}). The process may be traced by other engines already.
     *
     * @throws dev.multitrace.core.TracingException (or the Linux layer's NoSuchTaskException /
     *         PermissionDeniedException, with the reason) when it cannot be traced
     */
    public TracedProcess attach(int pid) {
        return attach(pid, () -> { });
    }

    /**
     * As {@link #attach(int)}, running {@code whileHeld} while the threads are held stopped, before
     * this tracer prints anything for them (so that an "attached" message comes first, as strace's).
     */
    public TracedProcess attach(int pid, Runnable whileHeld) {
        List<Engine> held = tracing.attachProcess(pid, this, NAME, events(), true);
        List<Engine> kept = new java.util.ArrayList<>();
        for (Engine e : held) {
            if (follow || e.task().tid() == pid) {
                kept.add(e);
                rememberCallAtAttach(e.task());
                added(e);
            } else {
                e.detach(); // strace -p without -f traces the one thread
            }
        }
        TracedProcess p = held.get(0).task().process();
        if (follow) {
            p.setFollowForks(true);
        }
        try {
            whileHeld.run();
        } finally {
            for (Engine e : kept) {
                e.control(ResumeAction.RESUME);
            }
        }
        return p;
    }

    /** Attaches to one task the service already traces (e.g. a thread a debugger holds). */
    public Engine attach(Task task) {
        Engine e = tracing.attach(task, this, NAME, events());
        rememberCallAtAttach(task);
        added(e);
        return e;
    }

    /**
     * Notes the syscall the task is in as this tracer joins it. strace reads it from the
     * registers at its first stop of a task it attached to; the IDE attaches this tracer to tasks
     * another engine holds, where no stop of ours comes before the restart_syscall, so /proc it is.
     * strace 6.1 asks PTRACE_GET_SYSCALL_INFO there, which knows no number at an attach stop, and
     * prints "resuming interrupted read" (number 0) for any interrupted sleep: we name the call.
     */
    private void rememberCallAtAttach(Task task) {
        // -1 when the task is gone or cannot be read: its restart_syscall, if any, says "system call".
        int nr = HostProcesses.syscallNumber(task.tid());
        // In restart_syscall already: the call it resumes cannot be known any more.
        if (nr >= 0 && !Syscalls.name(nr).equals(RESTART_SYSCALL)) {
            inCallAtAttach.put(task.tid(), Syscalls.name(nr));
        }
    }

    private void added(Engine e) {
        engines.add(e);
        out.taskAdded();
    }

    /**
     * Detaches from every task, from any thread but a callback of this engine; the tasks run on
     * (other engines keep them). A syscall line left open ends with {@code <detached ...>}.
     */
    public void detach() {
        detached = true;
        engines.detachAll();
        out.detached();
    }

    /**
     * Waits until every task this tracer traced is gone (exited and reported) or it detached.
     *
     * @return false on timeout
     */
    public boolean awaitAllGone(Duration timeout) throws InterruptedException {
        return engines.awaitAllGone(timeout);
    }

    /** The engines of this tracer now, one per traced task. */
    public List<Engine> engines() {
        return engines.snapshot();
    }

    /** Syscalls seen so far (printed or filtered out), for the Engines view. */
    public long callsSeen() {
        return calls.get();
    }

    /** Signals seen so far. */
    public long signalsSeen() {
        return signals.get();
    }

    @Override
    public String engineName() {
        return NAME;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("calls", calls.get());
        m.put("signals", signals.get());
        m.put("tasks", (long) engines.size());
        return m;
    }

    // ------------------------------------------------------------------ callbacks (tracer thread)

    private static TargetMemory memory(Engine engine) {
        return (address, length) -> {
            try {
                return engine.examine().read(address, length);
            } catch (RuntimeException e) {
                return new byte[0];
            }
        };
    }

    @Override
    public ResumeAction syscallEntry(Engine engine, Task task, SyscallReport report) {
        calls.incrementAndGet();
        int tid = task.tid();
        pending.remove(tid);
        if (!filter.traces(report.number()) || detached) {
            return ResumeAction.RESUME;
        }
        String name = Syscalls.name(report.number());
        long[] args = report.args();
        StringBuilder s = new StringBuilder();
        int from;
        if (name.equals(RESTART_SYSCALL)) {
            String resumed = interrupted.get(tid);
            if (resumed == null) {
                resumed = inCallAtAttach.getOrDefault(tid, UNKNOWN_CALL);
            }
            s.append("restart_syscall(<... resuming interrupted ").append(resumed).append(" ...>");
            from = 0;
        } else {
            from = new SyscallDecoder(memory(engine), report.stackPointer()).entry(name, args, s);
        }
        out.entry(tid, s.toString());
        pending.put(tid, new Pending(name, args, from));
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction syscallExit(Engine engine, Task task, SyscallReport report) {
        int tid = task.tid();
        Pending p = pending.remove(tid);
        if (p == null) {
            calls.incrementAndGet();
        }
        String name = Syscalls.name(report.number());
        // Before the filter: a restart_syscall that is traced names the call even when that call
        // itself is filtered out.
        if (report.returnValue() == -ERESTART_RESTARTBLOCK && !name.equals(RESTART_SYSCALL)) {
            interrupted.put(tid, name);
        }
        if (!filter.traces(report.number()) || detached) {
            return ResumeAction.RESUME;
        }
        TargetMemory memory = memory(engine);
        SyscallDecoder decoder = new SyscallDecoder(memory, report.stackPointer());
        if (p == null && tid == launchedPid && name.equals("execve")) {
            launchedPid = 0;
            String line = LaunchedExecLine.entry(tid, launchedArgv, decoder, memory);
            if (line != null) {
                out.entry(tid, line);
                p = new Pending(name, new long[6], 3);
            }
        }
        long ret = report.returnValue();
        StringBuilder rest = new StringBuilder();
        if (p != null) {
            decoder.exit(p.name(), p.args(), p.from(), ret, rest);
        } else {
            rest.append(')');
        }
        out.exit(tid, name, rest.toString(), decoder.result(name, p == null ? null : p.args(), ret));
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction signal(Engine engine, Task task, SignalReport report) {
        if (report.originalAction() == SignalAction.REPORT || detached) {
            return ResumeAction.RESUME; // an engine's INTERRUPT stop, not a signal
        }
        signals.incrementAndGet();
        byte[] info = report.siginfoBytes();
        out.line(task.tid(), "--- " + LinuxFlags.signal(report.signal()) + " "
                + (info != null ? SiginfoText.format(info) : "{}") + " ---");
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction exit(Engine engine, Task task, int status) {
        Pending p = pending.remove(task.tid());
        interrupted.remove(task.tid());
        inCallAtAttach.remove(task.tid());
        if (p != null && !detached) {
            // exit, exit_group, or a syscall another thread's exit_group cut short: no return value,
            // and where arguments were left for the exit, strace's "<unfinished ...>" instead.
            out.exit(task.tid(), p.name(), SyscallDecoder.hasExitPart(p.name(), p.from()) ? " <unfinished ...>)" : ")", "?");
        }
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        if (!detached) {
            String how = status.exited() ? "exited with " + status.code()
                    : "killed by " + LinuxFlags.signal(status.signal()) + ((status.raw() & 0x80) != 0 ? " (core dumped)" : "");
            out.line(task.tid(), "+++ " + how + " +++");
        }
        out.taskGone();
        engines.remove(engine);
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        if (follow && !detached) {
            added(tracing.attach(child, this, NAME, events()));
        }
        return ResumeAction.RESUME;
    }
}
