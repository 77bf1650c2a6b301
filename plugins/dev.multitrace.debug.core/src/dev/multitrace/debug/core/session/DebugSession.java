package dev.multitrace.debug.core.session;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.Examination;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Result;
import dev.multitrace.core.SignalAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.Signals;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.TracingException;
import dev.multitrace.engines.SyscallFilter;
import dev.multitrace.engines.SyscallTracer;
import dev.multitrace.rsp.GdbServer;
import dev.multitrace.symbols.Auxv;
import dev.multitrace.symbols.LinkMap;
import dev.multitrace.symbols.ProcessSymbols;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The debugger of one traced process: one debugger engine per thread (all with the same ops, so
 * that its breakpoints report on every thread), the reasons it holds each thread, source-level
 * stepping, user breakpoints with conditions, signal settings, and the other engines attached
 * for this session. No Eclipse here: the debug model is a thin adapter over this.
 *
 * <h2>Threads and synchronization</h2>
 * Requests (resume, step, suspend, breakpoints) come from any thread; engine callbacks run on the
 * service's tracer thread. The shared maps are concurrent. The ordering rule every request keeps:
 * the debugger's own state ({@link #held}, {@link #steps}) is updated <em>before</em> the
 * {@code control} call that lets the thread run, because that thread's next callback may run on
 * the tracer thread before {@code control} returns. A thread is "held" exactly while it is in
 * {@link #held}; every callback of a held thread answers STOP, so a callback that runs between a
 * hold and its report cannot release it.
 *
 * <h2>All-stop and non-stop</h2>
 * All-stop (the default): when one thread stops for an event, the debugger stops every other
 * thread too (reason SUSPEND), and a resume lets them all go. Non-stop: only the thread concerned.
 * While a line step runs a call to its return, the other threads run as well (as gdb does) and
 * are stopped again when the step ends.
 *
 * <h2>Shared libraries</h2>
 * The session follows the dynamic linker as gdb does: at start, attach and exec it finds
 * {@code r_debug} (ld.so's {@code _r_debug}, or the executable's {@code DT_DEBUG}) and plants its own
 * breakpoint at the loader's notification function ({@code r_brk}, glibc's {@code _dl_debug_state};
 * before the loader has filled {@code r_debug} in, that symbol of ld.so). The user never sees its
 * hits: at each one in the CONSISTENT state the symbols are updated from the link map
 * ({@link SessionSymbols#update}) and the thread goes on at once. Breakpoints added with a resolver
 * that gives no address yet (their library is not loaded) are pending: they are resolved and planted
 * at that hit, before the thread runs on, so they hit even in code the library runs right away.
 * Breakpoints in a library that was unloaded go back to pending; at exec all of them do, and are
 * resolved in the new image.
 */
public final class DebugSession implements AutoCloseable {

    /** The debugger engine's name (its data object), as the Engines view and thread labels show it. */
    public static final String DEBUGGER = "debugger";

    /** A step that has not found its line after this many instructions stops where it is. */
    static final long MAX_STEP_INSTRUCTIONS = 5_000_000;

    /** What the debugger engine asks for in debug mode. */
    public static final Set<Event> DEBUG_EVENTS = events(true);
    /** In run mode the debugger engine only follows threads and the exit. */
    public static final Set<Event> RUN_EVENTS = events(false);

    private static Set<Event> events(boolean debug) {
        EnumSet<Event> s = EnumSet.of(Event.CLONE, Event.EXEC, Event.EXIT, Event.DEATH, Event.REAP);
        if (debug) {
            s.addAll(Tracing.allSignals());
            s.addAll(EnumSet.of(Event.JCTL, Event.BREAKPOINT, Event.STEP));
        }
        return s;
    }

    private final Tracing tracing;
    private final boolean ownsTracing;
    private final boolean debug;
    private final TracedProcess process;
    private final int pid;
    private final Ops ops = new Ops();
    private final SessionSymbols symbols;
    private final SignalSettings signals = new SignalSettings();

    /** The debugger engine of each live thread. */
    private final Map<Integer, Engine> engines = new ConcurrentHashMap<>();
    /** The threads the debugger holds stopped, and why. */
    private final Map<Integer, StopReason> held = new ConcurrentHashMap<>();
    /** Threads asked to stop (control(STOP) answered IN_PROGRESS): their QUIESCE report makes them held. */
    private final Set<Integer> stopRequested = ConcurrentHashMap.newKeySet();
    private final Map<Integer, StepPlan> steps = new ConcurrentHashMap<>();
    /** Signals to inject at each thread's next INTERRUPT report (Resume with Signal). */
    private final Map<Integer, Integer> injections = new ConcurrentHashMap<>();
    /** The user breakpoints by address. */
    private final Map<Long, List<CodeBreakpoint>> breakpoints = new ConcurrentHashMap<>();
    /** Every user breakpoint of the session (planted or pending), with its hit count. */
    private final Map<CodeBreakpoint, int[]> hits = new ConcurrentHashMap<>();
    /** Where each planted user breakpoint is planted (its own addresses, or what its resolver gave). */
    private final Map<CodeBreakpoint, long[]> plantedAt = new ConcurrentHashMap<>();
    /** How each breakpoint added with a resolver finds its addresses again (libraries loaded, exec). */
    private final Map<CodeBreakpoint, Supplier<long[]>> resolvers = new ConcurrentHashMap<>();
    /** Breakpoints with no address yet: resolved again each time the loader's list changes. */
    private final Set<CodeBreakpoint> pending = ConcurrentHashMap.newKeySet();
    /**
     * Guards the move of a breakpoint between {@link #pending} and {@link #plantedAt}: the tracer
     * thread plants pending ones while other threads remove breakpoints. Never held while waiting
     * for the tracer thread (planting from the tracer thread itself runs inline).
     */
    private final Object pendingLock = new Object();
    /** The loader's notification function, where the debugger's own breakpoint is; 0 if none. */
    private volatile long loaderBreak;
    /** The address of the loader's {@code r_debug}; 0 if unknown (no dynamic linker). */
    private volatile long rDebug;
    private final List<AttachedEngine> extras = new CopyOnWriteArrayList<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** The temporary breakpoint of "stop at main", 0 if none. */
    private volatile long mainBreakpoint;
    private volatile boolean nonStop;
    private volatile boolean ended;

    /** The sessions not ended yet, so that the bundle's stop can end them cleanly (see {@link #endAll}). */
    private static final Set<DebugSession> LIVE = ConcurrentHashMap.newKeySet();
    /** Whether this session attached to a running process (ending it detaches) or launched it (ending it kills). */
    private volatile boolean attached;

    private DebugSession(Tracing tracing, boolean ownsTracing, boolean debug, TracedProcess process) {
        this.tracing = tracing;
        this.ownsTracing = ownsTracing;
        this.debug = debug;
        this.process = process;
        this.pid = process.pid();
        this.symbols = new SessionSymbols(pid);
        LIVE.add(this);
        process.exitStatus().whenComplete((status, failure) -> end(status));
    }

    // ------------------------------------------------------------------ starting

    /**
     * Launches a program under a new service; it is held before its first instruction, as the
     * returned session's thread with reason ENTRY. Call {@link #start} after adding listeners and
     * engines.
     *
     * @param debug false: run mode (no breakpoints, no stops; the program runs traced)
     */
    public static DebugSession launch(LaunchSpec spec, boolean debug) {
        Tracing tracing = Tracing.start();
        OpsHandoff handoff = new OpsHandoff();
        Engine e;
        try {
            e = tracing.launch(spec, handoff, DEBUGGER, debug ? DEBUG_EVENTS : RUN_EVENTS);
        } catch (RuntimeException ex) {
            tracing.close();
            throw ex;
        }
        DebugSession s = new DebugSession(tracing, true, debug, e.task().process());
        handoff.target = s.ops;
        s.engines.put(e.task().tid(), e);
        s.held.put(e.task().tid(), StopReason.of(StopReason.Kind.ENTRY));
        return s;
    }

    /**
     * Attaches to every thread of a running process under a new service and holds them all
     * (reason ATTACH).
     *
     * @throws TracingException or the Linux layer's exception, whose message names why the attach
     *                          was refused (another tracer and which, ptrace_scope, credentials)
     */
    public static DebugSession attach(int pid) {
        Tracing tracing = Tracing.start();
        OpsHandoff handoff = new OpsHandoff();
        List<Engine> list;
        try {
            list = tracing.attachProcess(pid, handoff, DEBUGGER, DEBUG_EVENTS, true);
        } catch (RuntimeException ex) {
            tracing.close();
            throw ex;
        }
        DebugSession s = new DebugSession(tracing, true, true, list.get(0).task().process());
        s.attached = true;
        handoff.target = s.ops;
        for (Engine e : list) {
            s.engines.put(e.task().tid(), e);
            s.held.put(e.task().tid(), StopReason.of(StopReason.Kind.ATTACH));
        }
        try {
            s.followLibraries(list.get(0));
        } catch (RuntimeException e) {
            s.detach(); // nothing planted is left behind
            throw e;
        }
        return s;
    }

    /**
     * Lets a launched program go: {@code ENTRY} keeps it held before its first instruction,
     * {@code MAIN} runs it to the first line of {@code main} (or its entry without line
     * information; as NONE where there is no {@code main} symbol), {@code NONE} lets it run.
     */
    public void start(StopMode mode) {
        if (debug) {
            followLibraries(leader());
        }
        if (!debug || mode == StopMode.NONE) {
            resumeAll();
            return;
        }
        if (mode == StopMode.MAIN) {
            Optional<FunctionInfo> main = symbols.addressOf("main").isPresent()
                    ? symbols.functionAt(symbols.addressOf("main").getAsLong()) : Optional.empty();
            if (main.isPresent()) {
                long at = symbols.afterPrologue(main.get());
                leader().insertBreakpoint(at);
                mainBreakpoint = at;
            }
            resumeAll();
        }
        // ENTRY: stays held.
    }

    /** How a launch starts. */
    public enum StopMode {
        /** Stop at the first line of main. */
        MAIN,
        /** Stay stopped before the program's first instruction (in the dynamic loader). */
        ENTRY,
        /** Do not stop. */
        NONE
    }

    /**
     * The launch engine must exist before the session that handles its callbacks: this forwards
     * to the session's ops once it is set. Until then (no callback can come: the launched or
     * attached task is held) it keeps the hold.
     */
    private static final class OpsHandoff implements EngineOps {
        volatile EngineOps target;

        private EngineOps t() {
            EngineOps x = target;
            return x != null ? x : new EngineOps() {
                @Override
                public ResumeAction quiesce(Engine engine, Task task, Event event) {
                    return ResumeAction.STOP;
                }
            };
        }

        @Override
        public ResumeAction quiesce(Engine engine, Task task, Event event) {
            return t().quiesce(engine, task, event);
        }

        @Override
        public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
            return t().clone(engine, parent, child, kind);
        }

        @Override
        public ResumeAction exec(Engine engine, Task task, int formerTid) {
            return t().exec(engine, task, formerTid);
        }

        @Override
        public ResumeAction exit(Engine engine, Task task, int status) {
            return t().exit(engine, task, status);
        }

        @Override
        public ResumeAction death(Engine engine, Task task, ExitStatus status) {
            return t().death(engine, task, status);
        }

        @Override
        public void reap(Engine engine, Task task) {
            t().reap(engine, task);
        }

        @Override
        public ResumeAction signal(Engine engine, Task task, SignalReport report) {
            return t().signal(engine, task, report);
        }

        @Override
        public ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
            return t().jctl(engine, task, stopped, signal);
        }

        @Override
        public ResumeAction step(Engine engine, Task task) {
            return t().step(engine, task);
        }

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            return t().breakpoint(engine, task, address);
        }
    }

    // ------------------------------------------------------------------ accessors

    public int pid() {
        return pid;
    }

    public TracedProcess process() {
        return process;
    }

    public Tracing tracing() {
        return tracing;
    }

    public boolean isDebug() {
        return debug;
    }

    public SessionSymbols symbols() {
        return symbols;
    }

    public SignalSettings signalSettings() {
        return signals;
    }

    public boolean isNonStop() {
        return nonStop;
    }

    public void setNonStop(boolean nonStop) {
        this.nonStop = nonStop;
    }

    public boolean isEnded() {
        return ended;
    }

    public void addListener(SessionListener l) {
        listeners.add(l);
    }

    public void removeListener(SessionListener l) {
        listeners.remove(l);
    }

    /** The live threads, ascending. */
    public List<Integer> threads() {
        List<Integer> l = new ArrayList<>(engines.keySet());
        Collections.sort(l);
        return l;
    }

    /** Why the debugger holds the thread, or empty if it does not. */
    public Optional<StopReason> stopReason(int tid) {
        return Optional.ofNullable(held.get(tid));
    }

    public boolean isHeld(int tid) {
        return held.containsKey(tid);
    }

    /**
     * The thread's state for the Debug view: why the debugger holds it, with the other engines
     * that hold it too; or, when the debugger does not hold it, what the service says
     * ({@code running}, {@code held by syscall tracer}, {@code job control stop (SIGSTOP)}...).
     */
    public String stateLabel(int tid) {
        Task t = process.task(tid);
        StopReason r = held.get(tid);
        List<String> others = new ArrayList<>();
        if (t != null) {
            for (Engine e : t.engines()) {
                if (e.holdsStop() && !DEBUGGER.equals(e.data())) {
                    others.add(String.valueOf(e.data()));
                }
            }
        }
        if (r != null) {
            return others.isEmpty() ? r.label() : r.label() + "; also held by " + String.join(", ", others);
        }
        if (!others.isEmpty()) {
            return "held by " + String.join(", ", others);
        }
        return t == null ? "exited" : t.state();
    }

    /** The debugger's engine on a thread (for examining it while held). */
    public Engine engine(int tid) {
        Engine e = engines.get(tid);
        if (e == null) {
            throw new IllegalArgumentException("thread " + tid + " is not in process " + pid);
        }
        return e;
    }

    private Engine leader() {
        Engine e = engines.get(pid);
        return e != null ? e : engines.values().iterator().next();
    }

    /** Every engine on the thread, the debugger's included, for the Engines view. */
    public List<EngineInfo> engines(int tid) {
        Task t = process.task(tid);
        if (t == null) {
            return List.of();
        }
        List<EngineInfo> out = new ArrayList<>();
        for (Engine e : t.engines()) {
            boolean mine = engines.get(tid) == e;
            // The debugger's hold is what it decided (held), which the service's snapshot shows only once the
            // stop's callbacks have returned: a view refreshed by the stop event must not see it running.
            boolean holds = mine ? held.containsKey(tid) || e.holdsStop() : e.holdsStop();
            out.add(new EngineInfo(tid, String.valueOf(e.data()), e.events(), holds, e.lastAction(), e.callbackCount(),
                    mine));
        }
        return out;
    }

    // ------------------------------------------------------------------ examining a held thread

    /**
     * A look at a held thread (registers, memory); valid until it resumes.
     *
     * @throws IllegalStateException if the debugger does not hold it
     */
    public Examination examine(int tid) {
        if (!held.containsKey(tid)) {
            throw new IllegalStateException("thread " + tid + " is running: suspend it first");
        }
        return engine(tid).examine();
    }

    public GeneralRegisters registers(int tid) {
        return GeneralRegisters.read(examine(tid));
    }

    /** The call stack of a held thread, innermost first. */
    public List<FrameInfo> frames(int tid) {
        Examination x = examine(tid);
        return new FrameWalker(symbols, memory(x)).walk(GeneralRegisters.read(x));
    }

    /** The thread's memory for the unwinder: through the examination (int3 bytes hidden), unreadable as 0 bytes. */
    private static dev.multitrace.symbols.unwind.MemoryReader memory(Examination x) {
        return (address, into, offset, length) -> {
            try {
                return x.read(address, into, offset, length);
            } catch (RuntimeException e) {
                return 0;
            }
        };
    }

    /** The 8-byte word at {@code address}; empty if unreadable (a short read is an exception of readLong). */
    private static OptionalLong readWord(Examination x, long address) {
        try {
            return OptionalLong.of(x.readLong(address));
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** An expression context over a held thread, for conditions and memory expressions. */
    public Expression.Context context(int tid) {
        return context(examine(tid));
    }

    private Expression.Context context(Examination x) {
        GeneralRegisters[] regs = new GeneralRegisters[1];
        return new Expression.Context() {
            @Override
            public long register(String name) {
                if (regs[0] == null) {
                    regs[0] = GeneralRegisters.read(x);
                }
                return regs[0].get(name);
            }

            @Override
            public byte[] read(long address, int length) {
                try {
                    return x.read(address, length);
                } catch (TracingException e) {
                    return new byte[0];
                }
            }

            @Override
            public OptionalLong symbol(String name) {
                return symbolAddress(name);
            }
        };
    }

    /** The run-time address of an ELF symbol (functions and data) in any module. */
    public OptionalLong symbolAddress(String name) {
        for (var m : symbols.current().modules()) {
            for (var sym : m.elf().symbols().byName(name)) {
                if (sym.isDefined()) {
                    return OptionalLong.of(sym.value() + m.bias());
                }
            }
        }
        return OptionalLong.empty();
    }

    // ------------------------------------------------------------------ run control

    /** Resumes one thread (non-stop) or, in all-stop mode, every held thread. */
    public void resume(int tid) {
        if (nonStop) {
            release(tid, null);
        } else {
            resumeAll();
        }
    }

    /** Resumes every thread the debugger holds. Threads other engines hold stay stopped. */
    public void resumeAll() {
        releaseAll(-1);
    }

    /**
     * Releases every held thread but {@code except}. Two phases, so that a thread that stops again
     * while the others are being released (all-stop: it re-holds them) is not undone: first every
     * hold is dropped, then each thread is let go only if nothing held it again meanwhile.
     */
    private void releaseAll(int except) {
        List<Integer> released = new ArrayList<>();
        for (int tid : threads()) {
            if (tid != except && held.remove(tid) != null) {
                released.add(tid);
                for (SessionListener l : listeners) {
                    l.threadResumed(tid, null);
                }
            }
        }
        for (int tid : released) {
            Engine e = engines.get(tid);
            if (e != null && !held.containsKey(tid)) {
                e.control(ResumeAction.RESUME);
                fireEngines(tid);
            }
        }
    }

    private void release(int tid, StepKind step) {
        Engine e = engines.get(tid);
        if (e == null || held.remove(tid) == null) {
            return;
        }
        for (SessionListener l : listeners) {
            l.threadResumed(tid, step);
        }
        e.control(ResumeAction.RESUME);
        fireEngines(tid);
    }

    /**
     * Resumes a held thread with a signal delivered to it (the service's signal injection: an
     * INTERRUPT report where the signal is chosen). In all-stop mode the other threads resume too.
     */
    public void resumeWithSignal(int tid, int signal) {
        if (signal < 1 || signal > Signals.MAX) {
            throw new IllegalArgumentException("no signal " + signal);
        }
        Engine e = engine(tid);
        if (!held.containsKey(tid)) {
            throw new IllegalStateException("thread " + tid + " is not stopped by the debugger");
        }
        if (!nonStop) {
            releaseAll(tid); // first: once this thread runs it may stop again, and must stay stopped
        }
        injections.put(tid, signal);
        held.remove(tid);
        for (SessionListener l : listeners) {
            l.threadResumed(tid, null);
        }
        e.control(ResumeAction.INTERRUPT);
    }

    /** Suspends one thread (non-stop) or every thread (all-stop). */
    public void suspend(int tid) {
        if (nonStop) {
            stopThread(tid, StopReason.of(StopReason.Kind.SUSPEND));
        } else {
            suspendAll();
        }
    }

    public void suspendAll() {
        for (int tid : threads()) {
            stopThread(tid, StopReason.of(StopReason.Kind.SUSPEND));
        }
    }

    /** Asks for a thread's stop; it becomes held at once if it is stopped already, else at its QUIESCE report. */
    private void stopThread(int tid, StopReason reason) {
        Engine e = engines.get(tid);
        if (e == null || held.containsKey(tid)) {
            return;
        }
        stopRequested.add(tid);
        Result r = e.control(ResumeAction.STOP);
        if (r == Result.OK && stopRequested.remove(tid)) {
            markHeld(tid, reason);
        } else if (r != Result.OK && r != Result.IN_PROGRESS) {
            stopRequested.remove(tid);
        }
    }

    private void markHeld(int tid, StopReason reason) {
        if (held.putIfAbsent(tid, reason) == null) {
            for (SessionListener l : listeners) {
                l.threadStopped(tid, reason);
            }
            fireEngines(tid);
        }
    }

    /** In all-stop mode, stops every thread but {@code tid}. Called on the tracer thread too. */
    private void stopOthers(int tid) {
        if (nonStop) {
            return;
        }
        for (int other : threads()) {
            if (other != tid) {
                stopThread(other, StopReason.of(StopReason.Kind.SUSPEND));
            }
        }
    }

    /** In all-stop mode, lets the threads go that were stopped only because another one stopped. */
    private void resumeOthers(int tid) {
        if (nonStop) {
            return;
        }
        List<Integer> released = new ArrayList<>();
        for (Map.Entry<Integer, StopReason> h : Map.copyOf(held).entrySet()) {
            if (h.getKey() != tid && h.getValue().kind() == StopReason.Kind.SUSPEND && held.remove(h.getKey(), h.getValue())) {
                released.add(h.getKey());
                for (SessionListener l : listeners) {
                    l.threadResumed(h.getKey(), null);
                }
            }
        }
        for (int other : released) {
            Engine e = engines.get(other);
            if (e != null && !held.containsKey(other)) {
                e.control(ResumeAction.RESUME);
            }
        }
    }

    // ------------------------------------------------------------------ stepping

    /** Starts a step of a held thread; the thread is reported stopped (reason STEP) when it ends. */
    public void step(int tid, StepKind kind) {
        Engine e = engine(tid);
        if (!held.containsKey(tid)) {
            throw new IllegalStateException("thread " + tid + " is not stopped by the debugger");
        }
        Examination x = e.examine();
        GeneralRegisters regs = GeneralRegisters.read(x);
        long pc = regs.pc();
        List<FrameInfo> frames = new FrameWalker(symbols, memory(x)).walk(regs);
        long cfa = frames.isEmpty() ? 0 : frames.get(0).cfa();
        // return from the real function: the frames of functions inlined at pc share its pc and cfa
        int real = 0;
        while (real < frames.size() - 1 && frames.get(real).inlined()) {
            real++;
        }
        StepPlan plan = new StepPlan(kind, symbols.lineAt(pc).orElse(null), pc, regs.sp(), cfa);
        if (kind == StepKind.RETURN) {
            if (frames.size() < real + 2 || cfa == 0) {
                String where = frames.isEmpty() ? "0x" + Long.toHexString(pc) : frames.get(0).label();
                throw new IllegalStateException("cannot step return: the caller of " + where + " is unknown");
            }
            plan.target = frames.get(real + 1).pc();
            plan.targetMinSp = cfa;
            plan.stopAtTarget = true;
            e.insertBreakpoint(plan.target);
        }
        steps.put(tid, plan);
        held.remove(tid);
        for (SessionListener l : listeners) {
            l.threadResumed(tid, kind);
        }
        if (plan.runningToTarget()) {
            resumeOthers(tid);
            e.control(ResumeAction.RESUME);
        } else {
            e.control(ResumeAction.SINGLESTEP);
        }
    }

    /** Ends a step: the thread is held with reason STEP (the others too, in all-stop). Tracer thread. */
    private ResumeAction finishStep(Engine e, int tid, StepPlan plan, String detail) {
        cancelStep(e, tid, plan);
        markHeld(tid, new StopReason(StopReason.Kind.STEP, detail));
        stopOthers(tid);
        return ResumeAction.STOP;
    }

    private void cancelStep(Engine e, int tid, StepPlan plan) {
        if (plan == null) {
            return;
        }
        steps.remove(tid, plan);
        if (plan.target != 0) {
            e.removeBreakpoint(plan.target);
            plan.target = 0;
        }
    }

    /** The next move of a step after one instruction (or after running to its target). Tracer thread. */
    private ResumeAction continueStep(Engine e, Task task, StepPlan plan) {
        int tid = task.tid();
        Examination x = e.examine();
        GeneralRegisters regs = GeneralRegisters.read(x);
        long pc = regs.pc();
        long sp = regs.sp();
        plan.instructions++;
        // the word on top of the stack, read once: a pushed return address if the last instruction was a call
        OptionalLong top = sp == plan.prevSp - 8 ? readWord(x, sp) : OptionalLong.empty();
        boolean called = isReturnAddressOf(top, plan.prevPc);
        long prevPc = plan.prevPc;
        plan.prevPc = pc;
        plan.prevSp = sp;
        if (plan.kind == StepKind.INSTRUCTION || (plan.kind == StepKind.INSTRUCTION_OVER && !called)) {
            return finishStep(e, tid, plan, "");
        }
        if (plan.instructions > MAX_STEP_INSTRUCTIONS) {
            return finishStep(e, tid, plan, "(gave up after " + plan.instructions + " instructions)");
        }
        if (called) {
            Optional<SourcePosition> into = symbols.lineAt(pc).filter(p -> p.line() > 0);
            Optional<FunctionInfo> fn = symbols.functionAt(pc);
            if (plan.kind == StepKind.INTO && into.isPresent() && fn.isPresent()) {
                long body = symbols.afterPrologue(fn.get());
                if (body == pc) {
                    return finishStep(e, tid, plan, "");
                }
                return runTo(e, tid, plan, body, 0, true);
            }
            // Over the call: to its return address, in this frame (a recursive call passes it deeper).
            return runTo(e, tid, plan, top.getAsLong(), sp + 8, false);
        }
        if (plan.frameCfa != 0 && Long.compareUnsigned(sp, plan.frameCfa) >= 0 && prevPc != pc) {
            // The frame returned: stop in the caller, in the middle of its line (as gdb does),
            // unless the caller has no line information (then let it run, as gdb's step does).
            if (symbols.lineAt(pc).filter(p -> p.line() > 0).isEmpty()) {
                steps.remove(tid, plan);
                return ResumeAction.RESUME;
            }
            return finishStep(e, tid, plan, "");
        }
        Optional<SourcePosition> pos = symbols.lineAt(pc);
        if (pos.isPresent() && pos.get().line() > 0 && pos.get().statement() && pos.get().rowStart() == pc) {
            boolean newLine = !pos.get().sameLine(plan.startLine);
            boolean loopedBack = !newLine && Long.compareUnsigned(pc, plan.startPc) <= 0;
            if (newLine || loopedBack) {
                return finishStep(e, tid, plan, "");
            }
        }
        return ResumeAction.SINGLESTEP;
    }

    /** Whether {@code word} (the value on top of the stack) is the return address of a call at {@code callPc}. */
    private static boolean isReturnAddressOf(OptionalLong word, long callPc) {
        // A call instruction is 2 to 7 bytes long (ff /2 with a SIB and disp32 is the longest common form).
        return word.isPresent() && Long.compareUnsigned(word.getAsLong() - callPc, 2) >= 0
                && Long.compareUnsigned(word.getAsLong() - callPc, 8) < 0;
    }

    private ResumeAction runTo(Engine e, int tid, StepPlan plan, long address, long minSp, boolean stop) {
        if (address == 0) {
            return finishStep(e, tid, plan, "(no return address)");
        }
        plan.target = address;
        plan.targetMinSp = minSp;
        plan.stopAtTarget = stop;
        e.insertBreakpoint(address);
        resumeOthers(tid);
        return ResumeAction.RESUME;
    }

    // ------------------------------------------------------------------ breakpoints

    /**
     * Plants a user breakpoint at its addresses. The same Eclipse breakpoint must be removed with
     * {@link #removeBreakpoint} before it is added again with changed settings.
     */
    public void addBreakpoint(CodeBreakpoint bp) {
        addBreakpoint(bp, null);
    }

    /**
     * Plants a user breakpoint at its addresses or, when it has none and a {@code resolver} is
     * given, keeps it pending: the resolver is asked again (on the tracer thread, so it must not
     * block) each time the dynamic linker's list changes, and the breakpoint is planted as soon as
     * it gives addresses. After exec, and when its library is unloaded, it is resolved again.
     * The adding and removing of one breakpoint must not race each other (the debug model
     * serializes them under its breakpoint lock); the tracer thread's resolution may race both.
     */
    public void addBreakpoint(CodeBreakpoint bp, Supplier<long[]> resolver) {
        long[] at = bp.addresses();
        if (resolver != null) {
            resolvers.put(bp, resolver);
        }
        hits.put(bp, new int[1]);
        if (at.length == 0) {
            if (resolver != null) {
                pending.add(bp);
                // The library may have been loaded between the caller's resolution and the add
                // (the tracer thread saw no pending breakpoint then): ask once more now.
                resolveNow(bp, resolver);
            }
            return;
        }
        try {
            plant(leader(), bp, at);
        } catch (RuntimeException ex) {
            hits.remove(bp);
            resolvers.remove(bp);
            throw ex;
        }
    }

    /** Plants a pending breakpoint if its resolver finds it now; not on the tracer thread. */
    private void resolveNow(CodeBreakpoint bp, Supplier<long[]> resolver) {
        long[] now;
        try {
            now = resolver.get();
        } catch (RuntimeException e) {
            return;
        }
        if (now.length == 0) {
            return;
        }
        synchronized (pendingLock) {
            if (!pending.remove(bp)) {
                return; // the tracer thread planted it meanwhile
            }
        }
        try {
            plant(leader(), bp, now); // waits for the tracer thread: outside the lock
        } catch (RuntimeException e) {
            pending.add(bp); // e.g. not writable: tried again at the next change
        }
    }

    /** Plants {@code bp} at {@code at}, all or nothing. */
    private void plant(Engine e, CodeBreakpoint bp, long[] at) {
        List<Long> planted = new ArrayList<>();
        try {
            for (long a : at) {
                e.insertBreakpoint(a);
                planted.add(a);
                breakpoints.computeIfAbsent(a, k -> new CopyOnWriteArrayList<>()).add(bp);
            }
        } catch (RuntimeException ex) {
            unplant(e, bp, planted.stream().mapToLong(Long::longValue).toArray());
            throw ex;
        }
        plantedAt.put(bp, at.clone());
    }

    private void unplant(Engine e, CodeBreakpoint bp, long[] at) {
        for (long a : at) {
            List<CodeBreakpoint> l = breakpoints.get(a);
            if (l != null && l.remove(bp)) {
                try {
                    e.removeBreakpoint(a);
                } catch (RuntimeException gone) {
                    // the process exited, or the library was unmapped: no byte left to restore
                }
            }
        }
    }

    public void removeBreakpoint(CodeBreakpoint bp) {
        long[] at;
        synchronized (pendingLock) {
            pending.remove(bp);
            resolvers.remove(bp);
            hits.remove(bp);
            at = plantedAt.remove(bp);
        }
        if (ended || at == null) {
            return;
        }
        unplant(leader(), bp, at);
    }

    /** The user breakpoints of the session, planted or pending. */
    public List<CodeBreakpoint> breakpoints() {
        return List.copyOf(hits.keySet());
    }

    /** Whether {@code bp} waits for its library (added with a resolver that gave no address yet). */
    public boolean isPending(CodeBreakpoint bp) {
        return pending.contains(bp);
    }

    /** Where {@code bp} is planted now (empty while pending). */
    public long[] plantedAddresses(CodeBreakpoint bp) {
        long[] at = plantedAt.get(bp);
        return at == null ? new long[0] : at.clone();
    }

    // ------------------------------------------------------------------ following the dynamic linker

    /**
     * Finds the loader's {@code r_debug} and plants the debugger's breakpoint at its notification
     * function; takes the loader's list as it is now if it is consistent. The thread of {@code e}
     * is stopped (held, or in a callback).
     */
    private void followLibraries(Engine e) {
        ProcessSymbols ps = symbols.refresh();
        dev.multitrace.symbols.unwind.MemoryReader memory = memory(e.examine());
        OptionalLong found = LinkMap.findRDebug(ps);
        if (found.isEmpty()) {
            try {
                found = LinkMap.findRDebug(memory, Auxv.ofProcess(pid));
            } catch (java.io.IOException gone) {
                found = OptionalLong.empty();
            }
        }
        long brk = ps.addressOf("_dl_debug_state").orElse(0);
        rDebug = found.orElse(0);
        if (rDebug != 0) {
            Optional<LinkMap> map = LinkMap.read(memory, rDebug);
            if (map.isPresent() && map.get().breakAddress() != 0) {
                brk = map.get().breakAddress(); // filled in by the loader: what it really calls
                if (map.get().state() == LinkMap.State.CONSISTENT && !map.get().objects().isEmpty()) {
                    symbols.update(map.get());
                }
            }
        }
        if (brk != 0) {
            e.insertBreakpoint(brk);
            loaderBreak = brk;
        }
    }

    /** At the loader's notification (tracer thread): new symbols, breakpoints re-resolved. */
    private void librariesChanged(Engine e) {
        if (rDebug == 0) {
            return;
        }
        Optional<LinkMap> map = LinkMap.read(memory(e.examine()), rDebug);
        if (map.isEmpty() || map.get().state() != LinkMap.State.CONSISTENT) {
            return; // RT_ADD / RT_DELETE: the list is being changed, the CONSISTENT call follows
        }
        symbols.update(map.get());
        dropUnloaded(e);
        resolvePending(e);
        for (SessionListener l : listeners) {
            l.librariesChanged();
        }
    }

    /** Breakpoints planted in code no module covers any more (a dlclose) go back to pending. */
    private void dropUnloaded(Engine e) {
        ProcessSymbols now = symbols.current();
        for (Map.Entry<CodeBreakpoint, long[]> p : Map.copyOf(plantedAt).entrySet()) {
            CodeBreakpoint bp = p.getKey();
            if (!resolvers.containsKey(bp)) {
                continue; // fixed addresses: the user's choice
            }
            boolean gone = false;
            for (long a : p.getValue()) {
                gone |= now.moduleAt(a).isEmpty();
            }
            if (gone) {
                synchronized (pendingLock) {
                    long[] at = plantedAt.remove(bp);
                    if (at != null) {
                        unplant(e, bp, at);
                        pending.add(bp);
                    }
                }
            }
        }
    }

    /** Resolves and plants the pending breakpoints whose code is loaded now (tracer thread). */
    private void resolvePending(Engine e) {
        for (CodeBreakpoint bp : List.copyOf(pending)) {
            Supplier<long[]> resolver = resolvers.get(bp);
            long[] at;
            try {
                at = resolver == null ? new long[0] : resolver.get();
            } catch (RuntimeException ex) {
                continue; // e.g. its marker was deleted meanwhile: its removal follows
            }
            if (at.length == 0) {
                continue;
            }
            synchronized (pendingLock) {
                if (!pending.remove(bp)) {
                    continue; // removed meanwhile
                }
                try {
                    plant(e, bp, at);
                } catch (RuntimeException ex) {
                    pending.add(bp); // e.g. not writable: try again at the next change
                }
            }
        }
    }

    /** At exec (tracer thread): every breakpoint with a resolver is resolved again in the new image. */
    private void imageReplaced(Engine e) {
        breakpoints.clear(); // the service dropped the sites with the old image
        synchronized (pendingLock) {
            for (CodeBreakpoint bp : plantedAt.keySet()) {
                if (resolvers.containsKey(bp)) {
                    pending.add(bp);
                }
            }
            plantedAt.clear();
        }
        loaderBreak = 0;
        rDebug = 0;
        if (debug) {
            followLibraries(e);
            resolvePending(e);
        }
    }

    /** How many times {@code bp} was hit (condition and thread filter passed). */
    public int hitCount(CodeBreakpoint bp) {
        int[] h = hits.get(bp);
        return h == null ? 0 : h[0];
    }

    // ------------------------------------------------------------------ other engines

    /**
     * Attaches an engine (with its own ops) to every thread of the process, and to each new
     * thread from now on. Another client than the debugger: its breakpoints and holds are its own.
     */
    public AttachedEngine attachEngine(String name, EngineOps engineOps, Set<Event> events) {
        return attachEngine(name, engineOps, events, t -> tracing.attach(t, engineOps, name, events));
    }

    /** As {@link #attachEngine(String, EngineOps, Set)}, with the engine's own way to attach to one thread. */
    private AttachedEngine attachEngine(String name, EngineOps engineOps, Set<Event> events,
            java.util.function.Function<Task, Engine> attacher) {
        AttachedEngine a = new AttachedEngine(name, engineOps, events, attacher, null, null);
        extras.add(a);
        for (int tid : threads()) {
            Task t = process.task(tid);
            if (t != null) {
                a.perThread.put(tid, attacher.apply(t));
                fireEngines(tid);
            }
        }
        return a;
    }

    /**
     * The syscall tracer engine ({@link SyscallTracer}, strace's output format) on every thread,
     * writing one line per system call, signal and exit to {@code sink}. The sink is called on
     * the tracer thread and must not block.
     */
    public AttachedEngine attachSyscallTracer(java.util.function.Consumer<String> sink) {
        SyscallTracer st = new SyscallTracer(tracing, new LineWriter(sink), SyscallFilter.all(), false, false);
        return attachEngine(SyscallTracer.NAME, st, st.events(), st::attach);
    }

    /**
     * A GDB remote stub on TCP {@code port} of the loopback interface (0: any free port, see the
     * returned engine's name {@code gdbserver :PORT}), attached to every thread of the process.
     * As gdbserver does, it holds the threads until a client connects and continues them; a client
     * that detaches releases them. Its log lines go to {@code log} (must not block).
     *
     * @throws java.io.IOException if the port cannot be bound
     */
    public AttachedEngine attachGdbStub(int port, java.util.function.Consumer<String> log) throws java.io.IOException {
        java.io.PrintWriter ps = new java.io.PrintWriter(new java.io.OutputStreamWriter(new LineOutputStream(log),
                java.nio.charset.StandardCharsets.UTF_8), true);
        GdbServer server = new GdbServer(tracing, null, port, new GdbServer.Options(false, true, false), ps);
        try {
            server.attach(pid);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        server.start();
        // The stub attaches its engines itself (data "gdbserver") and follows new threads itself.
        java.util.function.Function<Task, Engine> finder = t -> t.engines().stream()
                .filter(e -> GDB_STUB_ENGINE.equals(e.data()) && !e.isDetached()).findFirst().orElse(null);
        AttachedEngine a = new AttachedEngine("gdbserver :" + server.port(), null, Set.of(), null, finder, server);
        a.lookupTask = process::task;
        extras.add(a);
        for (int tid : threads()) {
            Task t = process.task(tid);
            if (t != null) {
                a.engine(t);
            }
            fireEngines(tid);
        }
        return a;
    }

    /** The data object of the GDB stub's engines. */
    public static final String GDB_STUB_ENGINE = "gdbserver";

    /** The engines attached for this session besides the debugger. */
    public List<AttachedEngine> attachedEngines() {
        return List.copyOf(extras);
    }

    /** Detaches an engine from every thread; its holds are released and its breakpoints removed. */
    public void detachEngine(AttachedEngine a) {
        extras.remove(a);
        a.detached = true;
        if (a.resource != null) {
            try {
                a.resource.close();
            } catch (Exception e) {
                // closing a listening socket: nothing to do about a failure
            }
        }
        for (int tid : threads()) {
            Task t = process.task(tid);
            Engine e = t == null ? null : a.engine(t);
            if (e != null) {
                e.detach();
                e.barrier(java.time.Duration.ofSeconds(10));
            }
            fireEngines(tid);
        }
        a.perThread.clear();
    }

    private void fireEngines(int tid) {
        for (SessionListener l : listeners) {
            l.enginesChanged(tid);
        }
    }

    // ------------------------------------------------------------------ ending

    /**
     * Detaches from the process, leaving it running (or job-control stopped): every engine of the
     * session goes, the service restores every breakpoint byte first.
     */
    public void detach() {
        if (ended) {
            return;
        }
        steps.clear();
        held.clear();
        for (AttachedEngine a : List.copyOf(extras)) {
            detachEngine(a);
        }
        tracing.detach(process);
        end(null);
    }

    /** Kills the process (SIGKILL); the session ends with its exit status. */
    public void terminate() {
        if (!ended && !process.isDetached()) {
            tracing.kill(process);
        }
    }

    private void end(ExitStatus status) {
        if (ended) {
            return;
        }
        ended = true;
        LIVE.remove(this);
        for (SessionListener l : listeners) {
            l.sessionEnded(status);
        }
        if (ownsTracing) {
            // Not on the tracer thread: closing waits for it.
            Thread closer = new Thread(tracing::close, "multitrace-session-close-" + pid);
            closer.setDaemon(true);
            closer.start();
        }
    }

    /** Whether the session attached to a running process (rather than launching it). */
    public boolean isAttached() {
        return attached;
    }

    /** Ends the session: detaches from the process, leaving it running with no breakpoint byte left. */
    @Override
    public void close() {
        if (!ended) {
            detach();
        }
    }

    /**
     * Ends every live session when the IDE shuts down: processes it attached to are detached
     * (they run on, without breakpoint bytes), programs it launched are killed (they would die
     * with the service anyway). Without this, the tracer thread's end would leave int3 bytes in
     * attached processes.
     */
    public static void endAll() {
        for (DebugSession s : List.copyOf(LIVE)) {
            try {
                if (s.attached) {
                    s.detach();
                } else {
                    s.terminate();
                }
            } catch (RuntimeException e) {
                // the process is gone meanwhile: nothing left to clean
            }
        }
    }

    // ------------------------------------------------------------------ the debugger's callbacks

    /** The debugger engine's callbacks; they run on the tracer thread. */
    private final class Ops implements EngineOps {

        /** Every callback of a thread the debugger holds keeps it held. */
        private ResumeAction keep(int tid, ResumeAction otherwise) {
            return held.containsKey(tid) ? ResumeAction.STOP : otherwise;
        }

        @Override
        public ResumeAction quiesce(Engine engine, Task task, Event event) {
            int tid = task.tid();
            if (stopRequested.remove(tid)) {
                markHeld(tid, StopReason.of(StopReason.Kind.SUSPEND));
            }
            return keep(tid, engine.holdsStop() ? ResumeAction.STOP : ResumeAction.RESUME);
        }

        @Override
        public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
            if (kind != CloneKind.THREAD) {
                return keep(parent.tid(), ResumeAction.RESUME);
            }
            Engine ce = tracing.attach(child, engine.ops(), DEBUGGER, engine.events()); // same ops: one breakpoint owner
            engines.put(child.tid(), ce);
            for (AttachedEngine a : extras) {
                if (a.attacher != null) {
                    a.perThread.put(child.tid(), a.attacher.apply(child));
                }
            }
            for (SessionListener l : listeners) {
                l.threadAdded(child.tid());
            }
            if (!nonStop && !held.isEmpty() && held.containsKey(parent.tid())) {
                // All-stop and the process is stopped: the new thread is held too.
                ce.control(ResumeAction.STOP);
                markHeld(child.tid(), StopReason.of(StopReason.Kind.SUSPEND));
            }
            return keep(parent.tid(), stepAction(parent.tid()));
        }

        @Override
        public ResumeAction exec(Engine engine, Task task, int formerTid) {
            if (formerTid != task.tid() && engines.remove(formerTid, engine)) {
                engines.put(task.tid(), engine); // a non-leader thread exec'd: it has the leader's tid now
            }
            imageReplaced(engine);
            for (SessionListener l : listeners) {
                l.imageReplaced();
            }
            return keep(task.tid(), ResumeAction.RESUME);
        }

        @Override
        public ResumeAction exit(Engine engine, Task task, int status) {
            held.remove(task.tid());
            steps.remove(task.tid());
            return ResumeAction.RESUME;
        }

        @Override
        public ResumeAction death(Engine engine, Task task, ExitStatus status) {
            return ResumeAction.RESUME;
        }

        @Override
        public void reap(Engine engine, Task task) {
            int tid = task.tid();
            engines.remove(tid, engine);
            held.remove(tid);
            steps.remove(tid);
            for (AttachedEngine a : extras) {
                a.perThread.remove(tid);
            }
            for (SessionListener l : listeners) {
                l.threadRemoved(tid);
            }
        }

        @Override
        public ResumeAction signal(Engine engine, Task task, SignalReport report) {
            int tid = task.tid();
            if (report.originalAction() == SignalAction.REPORT) {
                Integer sig = injections.remove(tid);
                if (sig != null) {
                    report.deliver(sig);
                    return ResumeAction.RESUME;
                }
                return keep(tid, stepAction(tid));
            }
            int sig = report.signal();
            SignalSettings.Setting s = signals.get(sig);
            if (!s.pass()) {
                report.setAction(SignalAction.IGN);
            }
            if (s.print()) {
                for (SessionListener l : listeners) {
                    l.signalReceived(tid, sig, s.stop());
                }
            }
            if (s.stop()) {
                cancelStep(engine, tid, steps.get(tid));
                markHeld(tid, new StopReason(StopReason.Kind.SIGNAL, Signals.name(sig)));
                stopOthers(tid);
                return ResumeAction.STOP;
            }
            return keep(tid, stepAction(tid));
        }

        @Override
        public ResumeAction jctl(Engine engine, Task task, boolean stopped, int signal) {
            fireEngines(task.tid());
            return keep(task.tid(), ResumeAction.RESUME);
        }

        @Override
        public ResumeAction step(Engine engine, Task task) {
            int tid = task.tid();
            StepPlan plan = steps.get(tid);
            if (held.containsKey(tid)) {
                return ResumeAction.STOP;
            }
            if (plan == null || plan.runningToTarget()) {
                return ResumeAction.RESUME;
            }
            return continueStep(engine, task, plan);
        }

        @Override
        public ResumeAction breakpoint(Engine engine, Task task, long address) {
            int tid = task.tid();
            if (held.containsKey(tid)) {
                return ResumeAction.STOP; // e.g. a step ended on this very instruction
            }
            if (address == loaderBreak && address != 0) {
                librariesChanged(engine); // then on at once, unless something of the user's is here too
            }
            StepPlan plan = steps.get(tid);
            if (plan != null && plan.target == address) {
                long sp = GeneralRegisters.read(engine.examine()).sp();
                if (Long.compareUnsigned(sp, plan.targetMinSp) >= 0) {
                    engine.removeBreakpoint(address);
                    plan.target = 0;
                    if (plan.stopAtTarget) {
                        return finishStep(engine, tid, plan, "");
                    }
                    if (!nonStop) {
                        stopOthers(tid); // single-stepping again: the others wait, as at the step's start
                    }
                    plan.prevPc = address;
                    plan.prevSp = sp;
                    ResumeAction next = landedAfterCall(engine, task, plan);
                    if (next != null) {
                        return next;
                    }
                }
            }
            if (address == mainBreakpoint) {
                mainBreakpoint = 0;
                engine.removeBreakpoint(address);
                cancelStep(engine, tid, plan);
                markHeld(tid, new StopReason(StopReason.Kind.MAIN, ""));
                stopOthers(tid);
                return ResumeAction.STOP;
            }
            List<CodeBreakpoint> bps = breakpoints.getOrDefault(address, List.of());
            for (CodeBreakpoint bp : bps) {
                String stopWhy = shouldStop(engine, tid, bp);
                if (stopWhy != null) {
                    cancelStep(engine, tid, plan);
                    markHeld(tid, new StopReason(StopReason.Kind.BREAKPOINT, stopWhy, bp.owner()));
                    stopOthers(tid);
                    return ResumeAction.STOP;
                }
            }
            return stepAction(tid);
        }

        /** After returning from a call that a line step ran over: stop if that is a new line, else step on. */
        private ResumeAction landedAfterCall(Engine engine, Task task, StepPlan plan) {
            Optional<SourcePosition> pos = symbols.lineAt(plan.prevPc);
            if (pos.isPresent() && pos.get().line() > 0 && pos.get().statement()
                    && pos.get().rowStart() == plan.prevPc && !pos.get().sameLine(plan.startLine)) {
                return finishStep(engine, task.tid(), plan, "");
            }
            return ResumeAction.SINGLESTEP;
        }

        /** Whether a hit of {@code bp} on {@code tid} stops it: null if not, else the stop detail. */
        private String shouldStop(Engine engine, int tid, CodeBreakpoint bp) {
            if (!bp.appliesTo(tid) || (bp.enabled() != null && !bp.enabled().getAsBoolean())) {
                return null;
            }
            if (bp.condition() != null) {
                try {
                    if (!bp.condition().test(context(engine.examine()))) {
                        return null;
                    }
                } catch (Expression.ExpressionException e) {
                    return bp.label() + " (condition '" + bp.condition() + "' failed: " + e.getMessage() + ")";
                }
            }
            int[] h = hits.get(bp);
            int n = h == null ? 1 : ++h[0];
            return n >= bp.hitCount() ? bp.label() : null;
        }

        /** What a thread does after an event that does not stop it: go on with its step, or run. */
        private ResumeAction stepAction(int tid) {
            StepPlan plan = steps.get(tid);
            return plan == null || plan.runningToTarget() ? ResumeAction.RESUME : ResumeAction.SINGLESTEP;
        }
    }
}
