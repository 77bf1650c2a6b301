package dev.multitrace.core;

import dev.multitrace.linux.x86_64.Regs;

import java.util.List;

/**
 * One traced Linux thread. The public methods are safe from any thread (they read snapshots);
 * every other field belongs to the tracer thread, which alone reads and writes it.
 */
public final class Task {

    static final Engine[] NO_ENGINES = {};

    volatile int tid;
    TracedProcess process;

    /** Copy-on-write, in attach order: a pass iterates a snapshot, so an engine attached during a pass is not called. */
    volatile Engine[] engines = NO_ENGINES;

    // --- Tracer-thread-only state. ---
    /** Ptrace-stopped and not resumed since: the only state in which ptrace requests other than INTERRUPT work. */
    boolean stopped;
    /** Inside a reporting pass: resumes wait for the pass's end. */
    boolean inPass;
    /** In job-control stop: resumed with PTRACE_LISTEN so that an engine's resume does not end it. */
    boolean groupStopped;
    /**
     * Where the thread is in its life. The legal transitions are checked where they are made
     * ({@link #toExiting}, {@link #toDead}, {@link #execed}):
     * <pre>
     *   LIVE --exit stop, or it vanished (ESRCH)--&gt; EXITING --death collected, or gone for good--&gt; DEAD
     *   LIVE --killed before its exit stop was seen--------------------------------------------&gt; DEAD
     *   EXITING --its exec completed (a non-leader's exec: it lives on under the leader's tid)--&gt; LIVE
     * </pre>
     * Nothing leaves DEAD. The other flags below are orthogonal to it: where the thread is
     * between its stops (stopped, in a pass, in a group stop, its stop queued for dispatch) can
     * change in every life but DEAD.
     */
    enum Life {
        /** Runs user code between its stops. */
        LIVE,
        /** Its exit was reported or it vanished: no more stops except its death (or an exec's end). */
        EXITING,
        /** Its death was collected, or it is gone for good: no call on it may wait for it. */
        DEAD
    }

    private Life life = Life.LIVE;

    Life life() {
        return life;
    }

    /** Exiting or dead: it runs no more user code. */
    boolean exiting() {
        return life != Life.LIVE;
    }

    boolean dead() {
        return life == Life.DEAD;
    }

    /** LIVE to EXITING; a task already DEAD stays so (an ESRCH seen after its death was collected). */
    void toExiting() {
        if (life == Life.LIVE) {
            life = Life.EXITING;
        }
    }

    void toDead() {
        life = Life.DEAD;
    }

    /** Its exec completed: whatever it was before (a non-leader that exec'd had exited as itself), it lives on. */
    void execed() {
        if (life == Life.DEAD) {
            throw new IllegalStateException(this + " cannot exec: its death was collected");
        }
        life = Life.LIVE;
    }
    /** A PTRACE_INTERRUPT was sent and its stop has not been seen yet. */
    boolean interruptOutstanding;
    /** The stop we are in is a signal-delivery-stop: resume with this signal (0: suppress). */
    int pendingSignal;
    /** A signal chosen at an INTERRUPT report, sent with tgkill on resume and delivered unreported. */
    int injectedSignal;
    /**
     * The siginfo the injected signal is delivered with (the engine's, or null: SI_USER from the
     * tracer, which is what the kernel gives a signal a debugger resumes with). Tracer thread.
     */
    dev.multitrace.linux.SigInfo injectedInfo;
    /**
     * The original siginfo of signals held and queued again with tgkill, by signal number, in
     * queue order (null until one is held): at their next delivery stop it replaces the tgkill's
     * SI_TKILL, so an SA_SIGINFO handler sees the real sender. Tracer thread.
     */
    java.util.Map<Integer, java.util.ArrayDeque<dev.multitrace.linux.SigInfo>> requeuedInfo;
    /** The last resume was a step, so a SIGTRAP with a trace code is ours. */
    boolean stepping;
    /**
     * It stopped at something other than its step's trap while stepping (an interrupt, an event):
     * the step may have run and its trap wait queued behind that stop, to be dequeued at a later
     * resume. The next SIGTRAP with a step's si_code is then ours, stepping or not (see
     * Tracer.signalStop and Tracer.takeForDetach).
     */
    boolean stepTrapMayBeQueued;
    Engine[] steppers = NO_ENGINES;
    /** The number of the syscall the task is in (seen at entry; the exit stop does not carry it). */
    long syscallNr = -1;
    /** A syscall entry was aborted: at its exit stop the return value is set to this. */
    boolean abortPending;
    long abortValue;
    /** Bumped at every resume: an Examination of an older generation is stale. */
    long generation;
    /** Registers of the current stop, fetched lazily (only when someone asks). */
    Regs regs;
    /** This stop reported a breakpoint at the pc: resuming must execute the original instruction. */
    boolean atReportedSite;
    /** Its current stop is queued for dispatch (seen by a wait for this tid): do not resume it before. */
    boolean hasDeferredStop;
    /**
     * Its step over a breakpoint ended with the status not handled yet: that status is the step's
     * (the step trap, or what came before it). Set until the status is dispatched.
     */
    StepOver steppedOver;
    /** Initial stop of an auto-attached clone seen before its parent's CLONE event. */
    boolean awaitingParentReport;
    /** Created by a CLONE event, its initial stop not seen yet. */
    boolean awaitingInitialStop;
    /** What this thread's debug registers hold (tracer-thread only, written while stopped). */
    final ThreadDebugRegisters debugRegisters = new ThreadDebugRegisters();
    /** The pc where the running single-step started, kept only while watchpoints exist (-1: unknown). */
    long pcBeforeStep = -1;
    /**
     * The service's software-watch step runs with the trap flag the program set itself: the step
     * trap is the program's SIGTRAP too (see Tracer.stepDone).
     */
    boolean userTrapFlag;
    /** Software watches: this thread runs to its syscall stops instead of stepping (Tracer.softWatchStep). */
    boolean softWatchSyscalls;
    /** This thread blocks SIGTRAP (as last read from /proc): it is not single-stepped meanwhile. */
    boolean trapBlocked;
    /** A signal was delivered to it while software watches exist: read the mask at its next stop. */
    boolean recheckTrapMask;
    /** Two bytes of the next instruction (tracer thread only): is it a syscall? */
    final byte[] insnScratch = new byte[2];
    /** The running step was a block step (restored as such if an event stop interrupts it). */
    boolean stepWasBlock;
    /** At a watchpoint report: the instruction that made the access, if known (-1: not known). */
    long watchInstruction = -1;
    volatile String stateLabel = "running";

    Task(int tid, TracedProcess process) {
        this.tid = tid;
        this.process = process;
    }

    public int tid() {
        return tid;
    }

    public TracedProcess process() {
        return process;
    }

    /** The engines attached now, in attach order. */
    public List<Engine> engines() {
        return List.of(engines);
    }

    /** The engines that hold this task stopped now (a snapshot). */
    public List<Engine> holders() {
        return List.of(engines).stream().filter(e -> e.holdsStop).toList();
    }

    /** Why the task is where it is, for views: "running", "stopped (signal SIGUSR1)", "job control stop", "exited". */
    public String state() {
        return stateLabel;
    }

    void add(Engine e) {
        Engine[] old = engines;
        Engine[] n = java.util.Arrays.copyOf(old, old.length + 1);
        n[old.length] = e;
        engines = n;
    }

    void remove(Engine e) {
        engines = java.util.Arrays.stream(engines).filter(x -> x != e).toArray(Engine[]::new);
    }

    /** Some engine holds it stopped (one whose detach has begun holds nothing). */
    boolean held() {
        for (Engine e : engines) {
            if (e.holdsStop && !e.detached) {
                return true;
            }
        }
        return false;
    }

    boolean wantsSyscalls() {
        if (abortPending) {
            return true;
        }
        for (Engine e : engines) {
            if ((e.mask & Event.ANY_SYSCALL) != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Task " + tid;
    }
}
