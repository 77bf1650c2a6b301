package dev.multitrace.session;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.Examination;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.GeneralRegisters;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.Result;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Signals;
import dev.multitrace.core.StopHolds;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.XState;
import dev.multitrace.core.TracingException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The debugger of one traced process: one debugger engine per thread (all with the same ops, so
 * that its breakpoints report on every thread), the reasons it holds each thread, source-level
 * stepping, user breakpoints with conditions, signal settings, and the other engines attached
 * for this session. No Eclipse here: the debug model is a thin adapter over this.
 *
 * <p>This class keeps the session's lifecycle (launch, attach, detach, end), the holds and run
 * control, and the public facade; the rest is split by concern: {@link Stepping},
 * {@link SessionBreakpoints} (with following the dynamic linker), {@link ExtraEngines},
 * {@link Examinations} (memory and expression contexts of a held thread) and {@link SessionSymbols}.
 * The debugger's callbacks are {@link DebuggerOps}.
 *
 * <h2>Threads and synchronization</h2>
 * Requests (resume, step, suspend, breakpoints) come from any thread; engine callbacks run on the
 * service's tracer thread. The shared maps are concurrent. The ordering rule every request keeps:
 * the debugger's own state ({@link #holds}, the step plans of {@link Stepping}) is updated <em>before</em> the
 * {@code control} call that lets the thread run, because that thread's next callback may run on
 * the tracer thread before {@code control} returns. A thread is "held" exactly while
 * {@link #holds} holds it; every callback of a held thread (or of one asked to stop) answers STOP,
 * so a callback that runs between a hold and its report cannot release it. The rules of
 * {@link StopHolds} (the helper the GDB stub uses too) are written beside it.
 *
 * <h2>All-stop and non-stop</h2>
 * All-stop (the default): when one thread stops for an event, the debugger stops every other
 * thread too (reason SUSPEND), and a resume lets them all go. Non-stop: only the thread concerned.
 * While a line step runs a call to its return, the other threads run as well (as gdb does) and
 * are stopped again when the step ends.
 *
 * <h2>Shared libraries</h2>
 * Followed as gdb does; see {@link SessionBreakpoints}.
 */
public final class DebugSession implements AutoCloseable {

    /** The debugger engine's name (its data object), as the Engines view and thread labels show it. */
    public static final String DEBUGGER = "debugger";

    /** What the debugger engine asks for in debug mode. */
    public static final Set<Event> DEBUG_EVENTS = events(true);
    /** In run mode the debugger engine only follows threads and the exit. */
    public static final Set<Event> RUN_EVENTS = events(false);

    private static Set<Event> events(boolean debug) {
        EnumSet<Event> s = EnumSet.of(Event.CLONE, Event.EXEC, Event.EXIT, Event.DEATH, Event.REAP);
        if (debug) {
            s.addAll(Tracing.allSignals());
            s.addAll(EnumSet.of(Event.JCTL, Event.BREAKPOINT, Event.STEP, Event.WATCHPOINT));
        }
        return s;
    }

    private final Tracing tracing;
    /**
     * How many live sessions debug a process of {@link #tracing}: a launch's or an attach's, and the fork children
     * it followed. The last one to end closes the service.
     */
    private final AtomicInteger tracingUsers;
    private final boolean debug;
    private final TracedProcess process;
    private final int pid;
    private final SessionSymbols symbols;
    private final SignalSettings signals = new SignalSettings();
    private final SessionBreakpoints breakpoints;
    private final Stepping stepping;
    private final ExtraEngines extras;
    private final DebuggerOps ops;

    // The run-control state below is package-private: DebuggerOps and Stepping update it on the tracer thread,
    // under the ordering rule of the class comment.

    /** The debugger engine of each live thread. */
    final Map<Integer, Engine> engines = new ConcurrentHashMap<>();
    /**
     * The threads the debugger holds stopped (by tid), and why; and those asked to stop whose
     * QUIESCE report will hold them. Its own lock: nothing else waits with it.
     */
    final StopHolds<Integer, StopReason> holds = new StopHolds<>(new Object());
    /** Per held thread, what was read at its stop; see {@link HeldStop}. Dropped when the thread is reaped. */
    final Map<Integer, HeldStop> heldStops = new ConcurrentHashMap<>();
    /** Why a stop asked for a thread is asked, where it is not a Suspend's (a followed fork child's); until it comes. */
    final Map<Integer, StopReason> askedStopReasons = new ConcurrentHashMap<>();
    /** Signals to inject at each thread's next INTERRUPT report (Resume with Signal). */
    final Map<Integer, Integer> injections = new ConcurrentHashMap<>();
    final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** The user's watchpoints, inserted through the leader's engine (the service puts them in every thread). */
    final List<DataWatchpoint> watchpoints = new CopyOnWriteArrayList<>();
    /** The user's event breakpoints; DebuggerOps matches each event against them (tracer thread). */
    final List<EventCatchpoint> catchpoints = new CopyOnWriteArrayList<>();
    /** The temporary breakpoint of "stop at main", 0 if none. */
    private volatile long mainBreakpoint;
    /** The temporary breakpoint of a run to a location ({@link #runTo}), and the thread that runs to it. */
    private final java.util.concurrent.atomic.AtomicReference<RunTarget> runTarget = new java.util.concurrent.atomic.AtomicReference<>();

    /** A run to a location: its temporary breakpoint (owner {@link #RUN_TO}) and the thread that was resumed. */
    private record RunTarget(CodeBreakpoint breakpoint, int tid) {
    }

    /** The owner of a run's temporary breakpoint: a stop there has reason BREAKPOINT with this owner. */
    public static final Object RUN_TO = new Object() {
        @Override
        public String toString() {
            return "run to location";
        }
    };
    private volatile boolean nonStop;
    private volatile boolean followForks;
    private volatile int parentPid;
    private volatile boolean ended;

    /** The sessions not ended yet, so that the bundle's stop can end them cleanly (see {@link #endAll}). */
    private static final Set<DebugSession> LIVE = ConcurrentHashMap.newKeySet();
    /** Whether this session attached to a running process (ending it detaches) or launched it (ending it kills). */
    private volatile boolean attached;

    private DebugSession(Tracing tracing, AtomicInteger tracingUsers, boolean debug,
            TracedProcess process) {
        this.tracing = tracing;
        this.tracingUsers = tracingUsers;
        this.debug = debug;
        this.process = process;
        this.pid = process.pid();
        this.symbols = new SessionSymbols(pid);
        this.breakpoints = new SessionBreakpoints(this, symbols);
        this.stepping = new Stepping(this, symbols);
        this.extras = new ExtraEngines(this);
        this.ops = new DebuggerOps(this, stepping, breakpoints, extras);
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
        DebugSession s = new DebugSession(tracing, new AtomicInteger(1), debug, e.task().process());
        handoff.target = s.ops;
        s.engines.put(e.task().tid(), e);
        s.holds.hold(e.task().tid(), StopReason.of(StopReason.Kind.ENTRY));
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
        DebugSession s = new DebugSession(tracing, new AtomicInteger(1), true, list.get(0).task().process());
        s.attached = true;
        handoff.target = s.ops;
        for (Engine e : list) {
            s.engines.put(e.task().tid(), e);
            s.holds.hold(e.task().tid(), StopReason.of(StopReason.Kind.ATTACH));
        }
        try {
            s.breakpoints.followLibraries(list.get(0));
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
            breakpoints.followLibraries(leader());
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

    /**
     * Whether the process's fork children are debugged too (gdb's {@code detach-on-fork off}, CDT's "automatically
     * debug forked processes"): each becomes a session of its own ({@link SessionListener#processForked}), its
     * thread held where the fork returns, with the parent's breakpoints, watchpoints and event breakpoints; the
     * parent runs on. Off (the default, gdb's): a child is let go without the parent's int3 bytes. A child's
     * children are followed too. Set before the fork.
     */
    public void setFollowForks(boolean follow) {
        followForks = follow;
        if (follow) {
            process.setFollowForks(true); // never off here: another engine (the syscall tracer) may follow them
        }
    }

    public boolean isFollowingForks() {
        return followForks;
    }

    /** The process this one was forked from, when the session follows a fork child; 0 for a launch or an attach. */
    public int parentPid() {
        return parentPid;
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
        return Optional.ofNullable(holds.reason(tid));
    }

    public boolean isHeld(int tid) {
        return holds.isHeld(tid);
    }

    /**
     * The thread's state for the Debug view: why the debugger holds it, with the other engines
     * that hold it too; or, when the debugger does not hold it, what the service says
     * ({@code running}, {@code held by syscall tracer}, {@code job control stop (SIGSTOP)}...).
     */
    public String stateLabel(int tid) {
        Task t = process.task(tid);
        StopReason r = holds.reason(tid);
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

    Engine leader() {
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
            boolean holds = mine ? this.holds.isHeld(tid) || e.holdsStop() : e.holdsStop();
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
        return heldStop(tid).examination();
    }

    /**
     * The thread's {@link HeldStop}: the one made at this stop, or a new one. An examination costs a hand-off
     * to the tracer thread, and the registers and stack read through one are kept with it for the stop.
     */
    private HeldStop heldStop(int tid) {
        if (!holds.isHeld(tid)) {
            throw new IllegalStateException("thread " + tid + " is running: suspend it first");
        }
        HeldStop h = heldStops.get(tid);
        if (h == null || !h.valid()) {
            h = new HeldStop(engine(tid).examine(), symbols);
            heldStops.put(tid, h); // racing askers may each make one: either is right, the last stays
        }
        return h;
    }

    public GeneralRegisters registers(int tid) {
        return GeneralRegisters.read(examine(tid));
    }

    /** The call stack of a held thread, innermost first; walked once per stop (and again after a write). */
    public List<FrameInfo> frames(int tid) {
        return heldStop(tid).frames();
    }

    /**
     * The registers of frame {@code level} of a held thread, by name: all general registers for the innermost
     * frame, for an outer frame only those the unwinder recovered (rip, rsp and the ones its rules restore,
     * such as rbp and the callee-saved registers a function pushed); empty if there is no such frame.
     */
    public Map<String, Long> frameRegisters(int tid, int level) {
        HeldStop h = heldStop(tid);
        return FrameWalker.registers(GeneralRegisters.read(h.examination()), h.unwound(), level);
    }

    /** The names of {@link #sseRegisters}, in order. */
    public static final List<String> SSE_REGISTERS = sseNames();

    private static List<String> sseNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            names.add("xmm" + i);
        }
        names.add("mxcsr");
        return List.copyOf(names);
    }

    /**
     * The SSE registers of a held thread, from its fxsave area: {@code xmm0}... {@code xmm15} (16 bytes each) and
     * {@code mxcsr} (4 bytes), each little-endian as the CPU holds it.
     */
    public Map<String, byte[]> sseRegisters(int tid) {
        byte[] fx = examine(tid).fpRegisters();
        Map<String, byte[]> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 16; i++) {
            out.put("xmm" + i, java.util.Arrays.copyOfRange(fx, XState.XMM0 + 16 * i, XState.XMM0 + 16 * (i + 1)));
        }
        out.put("mxcsr", java.util.Arrays.copyOfRange(fx, 24, 28)); // fxsave's layout: mxcsr at byte 24
        return out;
    }

    /**
     * The source-level data of frame {@code level} (0: innermost, as {@link #frames} numbers them) of a held
     * thread: arguments, locals, C expressions and assignments. Valid until the thread resumes.
     *
     * @throws IllegalStateException    if the debugger does not hold the thread
     * @throws IllegalArgumentException if its stack has no such frame
     */
    public FrameVariables variables(int tid, int level) {
        return heldStop(tid).variables(level);
    }

    /** An expression context over a held thread, for conditions and memory expressions. */
    public Expression.Context context(int tid) {
        return Examinations.context(examine(tid), symbols);
    }

    /** The run-time address of an ELF symbol (functions and data) in any module. */
    public OptionalLong symbolAddress(String name) {
        return symbols.symbolAddress(name);
    }

    /** A thread the debugger holds (the lowest tid), to read the process's memory through; empty if all run. */
    public OptionalInt anyHeldThread() {
        for (int tid : threads()) {
            if (holds.isHeld(tid)) {
                return OptionalInt.of(tid);
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The instructions overlapping {@code [start, end)} (at most 1 MiB), read through held thread {@code tid}, each
     * with its function and line; breakpoints' int3s do not show. A range starting inside an instruction starts
     * with that instruction.
     *
     * @throws IllegalArgumentException      for an empty or too large range, or unreadable memory
     * @throws UnsupportedOperationException if the disassembler (Capstone) is missing, saying what to install
     */
    public List<DisassembledInstruction> disassemble(int tid, long start, long end) {
        return new Disassembly(symbols).range(Examinations.memory(examine(tid)), start, end);
    }

    /**
     * The instructions from the first address of {@code file:line} to the end of its function, at most
     * {@code max} ({@code max} &lt; 1: all); as {@link #disassemble(int, long, long)}.
     */
    public List<DisassembledInstruction> disassemble(int tid, String file, int line, int max) {
        return new Disassembly(symbols).fromLine(Examinations.memory(examine(tid)), file, line, max);
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
     * hold is dropped, then each thread is let go only if nothing held it again meanwhile. A thread
     * whose stop was asked for and has not come yet (one thread stopped, the resume came before the
     * others' stops) has its request cancelled: that stop, when it comes, lets it run on (no wait here,
     * which could be long: a death elsewhere in the process can hold a report back).
     */
    private void releaseAll(int except) {
        List<Integer> released = new ArrayList<>();
        for (int tid : threads()) {
            if (tid != except) {
                holds.cancelRequest(tid);
            }
            if (tid != except && holds.release(tid) != null) {
                released.add(tid);
                for (SessionListener l : listeners) {
                    l.threadResumed(tid, null);
                }
            }
        }
        for (int tid : released) {
            Engine e = engines.get(tid);
            if (e != null) {
                letGo(e, tid, ResumeAction.RESUME);
                fireEngines(tid);
            }
        }
    }

    /**
     * Lets a released thread go with {@code action}, unless it is held again by the time the tracer thread
     * applies it (see {@link Engine#controlIf}): in all-stop, another thread's breakpoint may stop it again
     * meanwhile, finding its engine still stopped.
     */
    void letGo(Engine e, int tid, ResumeAction action) {
        e.controlIf(() -> !holds.isHeld(tid), action);
    }

    private void release(int tid, StepKind step) {
        Engine e = engines.get(tid);
        if (e == null || holds.release(tid) == null) {
            return;
        }
        for (SessionListener l : listeners) {
            l.threadResumed(tid, step);
        }
        letGo(e, tid, ResumeAction.RESUME);
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
        if (!holds.isHeld(tid)) {
            throw new IllegalStateException("thread " + tid + " is not stopped by the debugger");
        }
        if (!nonStop) {
            releaseAll(tid); // first: once this thread runs it may stop again, and must stay stopped
        }
        injections.put(tid, signal);
        holds.release(tid);
        for (SessionListener l : listeners) {
            l.threadResumed(tid, null);
        }
        letGo(e, tid, ResumeAction.INTERRUPT);
    }

    /** Suspends one thread (non-stop) or every thread (all-stop). */
    public void suspend(int tid) {
        if (nonStop) {
            suspendOne(tid);
        } else {
            suspendAll();
        }
    }

    public void suspendAll() {
        for (int tid : threads()) {
            suspendOne(tid);
        }
    }

    private void suspendOne(int tid) {
        StopReason suspended = StopReason.of(StopReason.Kind.SUSPEND);
        if (stopThread(tid, suspended)) {
            fireStopped(tid, suspended);
        }
    }

    /**
     * Asks for a thread's stop; it becomes held at once if it is stopped already, else at its QUIESCE report.
     *
     * <p>A thread stopped already (another engine holds it) answers OK and no report follows: the debugger's engine
     * does not ask for QUIESCE. If a resume from another thread cancelled the request meanwhile (between
     * {@code requestStop} and the answer's bookkeeping), the answer holds nothing and nothing else would take the STOP
     * vote back: the thread would stay stopped, held by nobody, once the other engine let it go. So the answer is
     * booked on the tracer thread with the call ({@link Engine#control(ResumeAction, java.util.function.Function)}),
     * and a cancelled request's vote taken back there, before any callback can see it and before a new request's
     * {@code control(STOP)}, which waits its turn on that thread, is applied (SuspendResumeRaceTest).
     *
     * @return whether it is held now (the caller reports it)
     */
    private boolean stopThread(int tid, StopReason reason) {
        Engine e = engines.get(tid);
        if (e == null || !holds.requestStop(tid)) {
            return false; // gone, or held already
        }
        return e.control(ResumeAction.STOP, answer -> {
            boolean heldNow = holds.stopAnswered(tid, answer, reason);
            if (answer == Result.OK && !heldNow && holds.takeCancelled(tid)) {
                e.control(ResumeAction.RESUME);
            }
            return heldNow;
        });
    }

    /**
     * A callback keeps its thread for an event (tracer thread): in all-stop mode the others' stops are asked
     * <em>first</em>, then the thread is held and reported. A listener may answer the report with a resume at
     * once, from another thread; that resume must find the others' requests to cancel them (see
     * {@link #releaseAll}); asked after it, they would hold the others with nobody to let them go.
     *
     * @return STOP, the callback's answer
     */
    ResumeAction holdForEvent(int tid, StopReason reason) {
        List<Integer> stoppedAtOnce = askOthersToStop(tid);
        keepStop(tid);
        markHeld(tid, reason);
        // reported after the event's thread: the Debug view selects the first thread reported stopped
        for (int other : stoppedAtOnce) {
            fireStopped(other, StopReason.of(StopReason.Kind.SUSPEND));
        }
        return ResumeAction.STOP;
    }

    /**
     * At a stop, in a callback on the tracer thread: the thread's registers are read now, where reading them
     * is a plain system call, and kept for the stop ({@link HeldStop}). Read later by a view's request on
     * another thread, each would be a hand-off to the tracer thread (waking it from {@code waitpid} through
     * the doorbell): three per stop (the examination, the general and the FP registers) before the first
     * frame is shown. If the thread cannot be examined here, the views' requests read it themselves.
     */
    private void keepStop(int tid) {
        Engine e = engines.get(tid);
        if (e == null) {
            return;
        }
        try {
            Examination x = e.examine();
            x.registers();
            x.fpRegisters();
            heldStops.put(tid, new HeldStop(x, symbols));
        } catch (RuntimeException notNow) {
            // not examinable in this callback (a new thread's first stop): left to the first request
        }
    }

    void markHeld(int tid, StopReason reason) {
        if (holds.hold(tid, reason)) {
            fireStopped(tid, reason);
        }
    }

    /** Tells the listeners that the debugger holds {@code tid} now. Never called with the holds' lock held. */
    void fireStopped(int tid, StopReason reason) {
        endRunTo(tid, reason);
        for (SessionListener l : listeners) {
            l.threadStopped(tid, reason);
        }
        fireEngines(tid);
    }

    /** In all-stop mode, stops every thread but {@code tid}. Called on the tracer thread too. */
    void stopOthers(int tid) {
        for (int other : askOthersToStop(tid)) {
            fireStopped(other, StopReason.of(StopReason.Kind.SUSPEND));
        }
    }

    /** In all-stop mode, asks every thread but {@code tid} to stop; returns those held at once, not reported yet. */
    private List<Integer> askOthersToStop(int tid) {
        if (nonStop) {
            return List.of();
        }
        List<Integer> atOnce = new ArrayList<>();
        for (int other : threads()) {
            if (other != tid && stopThread(other, StopReason.of(StopReason.Kind.SUSPEND))) {
                atOnce.add(other);
            }
        }
        return atOnce;
    }

    /** In all-stop mode, lets the threads go that were stopped only because another one stopped. */
    void resumeOthers(int tid) {
        if (nonStop) {
            return;
        }
        List<Integer> released = new ArrayList<>();
        for (int other : threads()) {
            if (other != tid) {
                holds.cancelRequest(other); // asked when the step started; not come yet (see releaseAll)
            }
        }
        for (Map.Entry<Integer, StopReason> h : holds.held().entrySet()) {
            if (h.getKey() != tid && h.getValue().kind() == StopReason.Kind.SUSPEND && holds.release(h.getKey(), h.getValue())) {
                released.add(h.getKey());
                for (SessionListener l : listeners) {
                    l.threadResumed(h.getKey(), null);
                }
            }
        }
        for (int other : released) {
            Engine e = engines.get(other);
            if (e != null) {
                letGo(e, other, ResumeAction.RESUME);
            }
        }
    }

    // ------------------------------------------------------------------ run to, move to

    /**
     * Resumes held thread {@code tid} (in all-stop mode, every held thread) until a thread reaches one of
     * {@code addresses}: a temporary breakpoint there, which goes as soon as the run ends, at the target or at
     * any other stop of that thread (a user breakpoint, a signal), so nothing is left planted. The stop at the
     * target has reason BREAKPOINT with owner {@link #RUN_TO}.
     *
     * @param label what the stop's reason says ({@code loop.c:25}, {@code 0x401136})
     * @throws IllegalArgumentException if there is no address
     * @throws IllegalStateException    if the debugger does not hold the thread
     */
    public void runTo(int tid, long[] addresses, String label) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("no address to run to for " + label);
        }
        if (!holds.isHeld(tid)) {
            throw new IllegalStateException("thread " + tid + " is not stopped by the debugger");
        }
        endRunTo(-1, null);
        CodeBreakpoint bp = new CodeBreakpoint(label, addresses, null, 0, Set.of(), RUN_TO);
        breakpoints.add(bp, null);
        runTarget.set(new RunTarget(bp, tid));
        resume(tid);
    }

    /** Ends the run to a location when its thread stopped ({@code tid} -1: whatever thread); any thread. */
    private void endRunTo(int tid, StopReason reason) {
        RunTarget t = runTarget.get();
        if (t == null || (tid != -1 && t.tid() != tid && (reason == null || reason.breakpoint() != RUN_TO))) {
            return;
        }
        if (runTarget.compareAndSet(t, null)) {
            breakpoints.remove(t.breakpoint());
        }
    }

    /**
     * Moves held thread {@code tid}'s program counter to {@code pc} (gdb's {@code jump}, without running): the
     * thread stays held, and the listeners see it resume and stop again, so that views read its new frame.
     *
     * @throws IllegalStateException if the debugger does not hold the thread
     */
    public void moveTo(int tid, long pc) {
        StopReason reason = holds.reason(tid);
        if (reason == null) {
            throw new IllegalStateException("thread " + tid + " is not stopped by the debugger");
        }
        examine(tid).setPc(pc);
        for (SessionListener l : listeners) {
            l.threadResumed(tid, null);
        }
        fireStopped(tid, reason);
    }

    // ------------------------------------------------------------------ stepping (see Stepping)

    /** Starts a step of a held thread; the thread is reported stopped (reason STEP) when it ends. */
    public void step(int tid, StepKind kind) {
        stepping.step(tid, kind);
    }

    /**
     * Step into selection on the thread's current line: a step into that enters only a call of {@code function} and
     * runs over the line's other calls; it ends past that function's prologue, or, if the line is left without
     * entering it, where a step into would end, with the stop's detail "(did not enter function)". See
     * {@link Stepping}.
     *
     * @throws IllegalArgumentException if {@code function} is blank
     * @throws IllegalStateException    if the debugger does not hold the thread or its pc has no line
     */
    public void stepIntoSelection(int tid, String function) {
        stepping.stepIntoSelection(tid, function, new long[0]);
    }

    /**
     * Step into selection on the line whose code is at {@code lineAddresses} ({@link SessionSymbols#addressesFor}): on
     * the thread's current line as {@link #stepIntoSelection(int, String)}; on another line, the thread (in all-stop
     * mode with the threads held only for its stop) runs to it first and the step starts there. A stop on the way
     * (a breakpoint, a signal) ends it there.
     *
     * @throws IllegalArgumentException if {@code function} is blank or there is no address
     * @throws IllegalStateException    if the debugger does not hold the thread
     */
    public void stepIntoSelection(int tid, String function, long[] lineAddresses) {
        if (lineAddresses.length == 0) {
            throw new IllegalArgumentException("no code on the line to step into " + function + " from");
        }
        stepping.stepIntoSelection(tid, function, lineAddresses);
    }

    // ------------------------------------------------------------------ breakpoints (see SessionBreakpoints)

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
     * The resolver is given the symbols of the session that asks: a followed fork child's session asks it
     * with its own, which after the child's exec are another program's.
     * The adding and removing of one breakpoint must not race each other (the debug model
     * serializes them under its breakpoint lock); the tracer thread's resolution may race both.
     */
    public void addBreakpoint(CodeBreakpoint bp, Function<SessionSymbols, long[]> resolver) {
        breakpoints.add(bp, resolver);
    }

    public void removeBreakpoint(CodeBreakpoint bp) {
        breakpoints.remove(bp);
    }

    /** The user breakpoints of the session, planted or pending. */
    public List<CodeBreakpoint> breakpoints() {
        return breakpoints.all();
    }

    /** Whether {@code bp} waits for its library (added with a resolver that gave no address yet). */
    public boolean isPending(CodeBreakpoint bp) {
        return breakpoints.isPending(bp);
    }

    /** Where {@code bp} is planted now (empty while pending). */
    public long[] plantedAddresses(CodeBreakpoint bp) {
        return breakpoints.plantedAddresses(bp);
    }

    /** How many times {@code bp} was hit (condition and thread filter passed). */
    public int hitCount(CodeBreakpoint bp) {
        return breakpoints.hitCount(bp);
    }

    /** Whether {@code address} is the temporary breakpoint of "stop at main"; if so it is consumed (tracer thread). */
    boolean takeMainBreakpoint(long address) {
        if (address != mainBreakpoint) {
            return false;
        }
        mainBreakpoint = 0;
        return true;
    }

    // ------------------------------------------------------------------ watchpoints

    /**
     * Inserts a watchpoint through the service (a debug register where this machine's trap, else a software
     * write watch); a hit stops the thread that made the access, with reason WATCHPOINT, after the access.
     *
     * @throws dev.multitrace.core.TracingException naming why the service cannot keep it (no free debug register
     *                                              for an access watch, a length the hardware cannot watch...)
     */
    public void addWatchpoint(DataWatchpoint wp) {
        leader().insertWatchpoint(wp.address(), wp.length(), wp.kind());
        watchpoints.add(wp);
    }

    public void removeWatchpoint(DataWatchpoint wp) {
        if (watchpoints.remove(wp) && watchpoints.stream().noneMatch(o -> o.matches(wp.address(), wp.length(), wp.kind()))) {
            Engine e = engines.get(pid);
            (e != null ? e : leader()).removeWatchpoint(wp.address(), wp.length(), wp.kind());
        }
    }

    /** The user watchpoints of the session. */
    public List<DataWatchpoint> watchpoints() {
        return List.copyOf(watchpoints);
    }

    // ------------------------------------------------------------------ event breakpoints

    /**
     * Adds an event breakpoint: from now on the event stops the thread it happens in (and, in all-stop
     * mode, the others), with reason EVENT. The debugger's engines see system calls only while a
     * system call breakpoint is set (each entry costs a stop).
     */
    public void addCatchpoint(EventCatchpoint c) {
        catchpoints.add(c);
        followSyscalls();
    }

    public void removeCatchpoint(EventCatchpoint c) {
        catchpoints.remove(c);
        followSyscalls();
    }

    /** The user event breakpoints of the session. */
    public List<EventCatchpoint> catchpoints() {
        return List.copyOf(catchpoints);
    }

    /** Asks each debugger engine for system call entries exactly while a system call breakpoint is set. */
    private synchronized void followSyscalls() {
        boolean want = catchpoints.stream().anyMatch(c -> c.kind() == EventCatchpoint.Kind.SYSCALL);
        for (Engine e : engines.values()) {
            if (e.events().contains(Event.SYSCALL_ENTRY) != want) {
                EnumSet<Event> events = EnumSet.copyOf(e.events());
                if (want) {
                    events.add(Event.SYSCALL_ENTRY);
                } else {
                    events.remove(Event.SYSCALL_ENTRY);
                }
                e.setEvents(events);
            }
        }
    }

    // ------------------------------------------------------------------ other engines (see ExtraEngines)

    /**
     * Attaches an engine (with its own ops) to every thread of the process, and to each new
     * thread from now on. Another client than the debugger: its breakpoints and holds are its own.
     */
    public AttachedEngine attachEngine(String name, EngineOps engineOps, Set<Event> events) {
        return extras.attach(name, engineOps, events);
    }

    /**
     * The syscall tracer engine ({@link dev.multitrace.engines.SyscallTracer}, strace's output format) on every thread,
     * writing one line per system call, signal and exit to {@code sink}. The sink is called on
     * the tracer thread and must not block.
     */
    public AttachedEngine attachSyscallTracer(java.util.function.Consumer<String> sink) {
        return extras.attachSyscallTracer(sink);
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
        return extras.attachGdbStub(port, log);
    }

    /** The data object of the GDB stub's engines. */
    public static final String GDB_STUB_ENGINE = "gdbserver";

    /** The engines attached for this session besides the debugger. */
    public List<AttachedEngine> attachedEngines() {
        return extras.list();
    }

    /** Detaches an engine from every thread; its holds are released and its breakpoints removed. */
    public void detachEngine(AttachedEngine a) {
        extras.detach(a);
    }

    void fireEngines(int tid) {
        for (SessionListener l : listeners) {
            l.enginesChanged(tid);
        }
    }

    // ------------------------------------------------------------------ fork children (see setFollowForks)

    /**
     * In the parent's CLONE callback of a followed fork (tracer thread): the child's session, its thread held, told
     * to this session's listeners before its stop is reported. The child's engine has ops of its own (hits in the
     * child are the child session's); a fork child's memory is a copy of the parent's, so the sites it inherited
     * (the user's breakpoints, the loader's notification, the watchpoints) become its engine's, and its session
     * starts with the parent's breakpoint list. A vfork child runs in the parent's memory, whose int3 bytes stay the
     * parent's (a hit there is stepped over for it), and its session starts with none; it execs or exits soon.
     */
    void adoptFork(Engine parentEngine, Task child, CloneKind kind) {
        OpsHandoff handoff = new OpsHandoff();
        Engine ce = tracing.attach(child, handoff, DEBUGGER, parentEngine.events());
        tracingUsers.incrementAndGet();
        DebugSession c = new DebugSession(tracing, tracingUsers, debug, child.process());
        c.parentPid = pid;
        c.attached = attached;
        c.nonStop = nonStop;
        c.followForks = true; // the service follows a followed child's own forks
        c.signals.copyFrom(signals);
        c.catchpoints.addAll(catchpoints);
        handoff.target = c.ops;
        c.engines.put(child.tid(), ce);
        if (kind == CloneKind.FORK) {
            ce.adoptInherited(parentEngine.ops());
            c.breakpoints.inheritFrom(breakpoints);
            c.watchpoints.addAll(watchpoints);
        }
        StopReason forked = new StopReason(StopReason.Kind.SUSPEND, "(forked from process " + pid + ")", null);
        c.askedStopReasons.put(child.tid(), forked); // for its QUIESCE, which holds it if the call does not
        c.holds.requestStop(child.tid());
        Result answer = ce.control(ResumeAction.STOP); // IN_PROGRESS before its first stop: its QUIESCE holds it
        for (SessionListener l : listeners) {
            l.processForked(c);
        }
        if (c.holds.stopAnswered(child.tid(), answer, forked)) {
            c.askedStopReasons.remove(child.tid());
            c.fireStopped(child.tid(), forked);
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
        stepping.forgetAll();
        holds.clear();
        extras.detachAll();
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
        // What the extra engines hold outside the process goes with it: the GDB stub's listening
        // socket (left open, its port stayed taken and a gdb could connect to a dead session).
        // Closing a socket does not wait for the tracer thread, so this is safe on it.
        extras.closeResources();
        for (SessionListener l : listeners) {
            l.sessionEnded(status);
        }
        if (tracingUsers.decrementAndGet() == 0) {
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
}
