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

    /**
     * Where the thread is between its stops, as the tracer thread knows it. One value; the legal
     * transitions are the methods below, each checked where it is made:
     * <pre>
     *   RUNNING, STOPPED ---- atStop (stopTaken): its stop is handled (dispatched, taken by a
     *                         pause, a launch, a seize, a detach; a refused resume leaves it
     *                         where it was) --------------------------------------------&gt; STOPPED
     *   STOP_QUEUED --------- atStop: the queued stop is handled --------------------------&gt; STOPPED
     *   RUNNING, STOPPED,
     *   STOP_QUEUED --------- stopQueued: its stop is seen, its handling queued (deferred while
     *                         its pass is up the stack, held by a pause, ending a step-over) &gt; STOP_QUEUED
     *   any ----------------- endQueued: its death (not a stop) is seen and queued ---------&gt; END_QUEUED
     *   STOPPED ------------- resumed: a ptrace resume (the Arbiter's plan, a detach's drain) &gt; RUNNING
     *   any ----------------- leftStop: SIGKILL took it out of its stop, it died, it exec'd
     *                         away, or it was let go -------------------------------------&gt; RUNNING
     *   STOP_QUEUED --------- queueDropped: the queued stop is taken or stale -------------&gt; STOPPED
     *   END_QUEUED ---------- queueDropped -------------------------------------------------&gt; RUNNING
     * </pre>
     * Illegal, and an {@link IllegalStateException} naming the task, the transition and the
     * state it was tried from: resuming a thread that is not in a handled stop (RUNNING: the
     * kernel refuses; STOP_QUEUED: a stop would be lost), and a stop of a thread whose end was
     * seen (END_QUEUED: nothing follows a death). A reporting pass ({@link #passBegins}) needs a stop (STOPPED, or STOP_QUEUED: an
     * INTERRUPT reported before the queued stop is dispatched) and is never nested.
     * <p>
     * Orthogonal to it, and kept apart: its {@link Life} (a thread is stopped or running in
     * every life), whether a pass runs for it ({@link #inPass}: a frame on the tracer thread's
     * stack, which a SIGKILL does not end: the thread can leave its stop while its pass runs),
     * and what the stop it is in or waits for is (a group stop, an outstanding interrupt, a step,
     * a new thread's first stop or its parent's report).
     */
    enum StopState {
        /** Resumed, or taken out of its stop: ptrace requests other than INTERRUPT fail. */
        RUNNING,
        /** In a ptrace stop whose status was handled: ptrace requests work; the Arbiter decides its resume. */
        STOPPED,
        /** In a ptrace stop whose status is seen and queued for dispatch: not resumed before it is handled. */
        STOP_QUEUED,
        /** Its death (not a stop) is seen and queued for dispatch. */
        END_QUEUED
    }

    private StopState stopState = StopState.RUNNING;
    /** Inside a reporting pass: resumes wait for the pass's end (see {@link StopState}). */
    private boolean inPass;

    StopState stopState() {
        return stopState;
    }

    /** In a ptrace stop (handled or queued): the only state in which ptrace requests other than INTERRUPT work. */
    boolean stopped() {
        return stopState == StopState.STOPPED || stopState == StopState.STOP_QUEUED;
    }

    /** A status of it was seen and is queued for dispatch: it must not be resumed before. */
    boolean statusQueued() {
        return stopState == StopState.STOP_QUEUED || stopState == StopState.END_QUEUED;
    }

    boolean inPass() {
        return inPass;
    }

    private IllegalStateException illegal(String transition, String legalFrom) {
        return new IllegalStateException(this + ": illegal transition " + transition + " from " + stopState
                + " (legal from " + legalFrom + ")");
    }

    /** Its stop is handled (see {@link StopState}). */
    void atStop() {
        if (stopState == StopState.END_QUEUED) {
            throw illegal("atStop", "RUNNING, STOPPED, STOP_QUEUED");
        }
        stopState = StopState.STOPPED;
    }

    /**
     * A ptrace stop of it is taken now ({@link #atStop}): its registers are read afresh, and a
     * PTRACE_INTERRUPT outstanding is consumed (the kernel clears JOBCTL_TRAP_STOP at every trap:
     * whoever wanted a stop gets this one).
     */
    void stopTaken() {
        atStop();
        regs = null;
        interruptOutstanding = false;
    }

    /** Its stop is seen and its handling queued. */
    void stopQueued() {
        if (stopState == StopState.END_QUEUED) {
            throw illegal("stopQueued", "RUNNING, STOPPED, STOP_QUEUED");
        }
        stopState = StopState.STOP_QUEUED;
    }

    /** Its death is seen and its handling queued. */
    void endQueued() {
        stopState = StopState.END_QUEUED;
    }

    /** Resumed with ptrace: only from a handled stop. */
    void resumed() {
        if (stopState != StopState.STOPPED) {
            throw illegal("resumed", "STOPPED");
        }
        stopState = StopState.RUNNING;
    }

    /** Out of its stop without a resume of ours (SIGKILL, its death, its exec under another tid, a detach). */
    void leftStop() {
        stopState = StopState.RUNNING;
    }

    /** The queued status is taken here or is stale: the stop it told of is handled, a death's is not. */
    void queueDropped() {
        if (stopState == StopState.STOP_QUEUED) {
            stopState = StopState.STOPPED;
        } else if (stopState == StopState.END_QUEUED) {
            stopState = StopState.RUNNING;
        }
    }

    /** A reporting pass begins: at a stop, never nested. */
    void passBegins() {
        if (inPass || !stopped()) {
            throw new IllegalStateException(this + ": illegal transition passBegins " + (inPass ? "inside a pass" : "from " + stopState));
        }
        inPass = true;
    }

    /** The reporting pass ends. */
    void passEnds() {
        if (!inPass) {
            throw new IllegalStateException(this + ": illegal transition passEnds outside a pass");
        }
        inPass = false;
    }

    /** The pass up the stack is abandoned: the thread was killed while it was looked at. */
    void passAbandoned() {
        inPass = false;
    }
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
     * Nothing leaves DEAD. Where the thread is between its stops ({@link StopState}) and the
     * flags below are orthogonal to it: they can change in every life but DEAD.
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
     * SignalDelivery.signalStop and Detacher.takeForDetach).
     */
    boolean stepTrapMayBeQueued;
    Engine[] steppers = NO_ENGINES;
    /** The number of the syscall the task is in (seen at entry; the exit stop does not carry it). */
    long syscallNr = -1;
    /** A syscall entry was aborted: at its exit stop the return value is set to this. */
    boolean abortPending;
    long abortValue;
    /**
     * Bumped at every resume: an Examination of an older generation is stale. Volatile: an
     * examination checks it on the caller's thread before and after a memory read.
     */
    volatile long generation;
    /** Registers of the current stop, fetched lazily (only when someone asks). */
    Regs regs;
    /** This stop reported a breakpoint at the pc: resuming must execute the original instruction. */
    boolean atReportedSite;
    /**
     * Its step over a breakpoint ended with the status not handled yet: that status is the step's
     * (the step trap, or what came before it). Set until the status is dispatched.
     */
    StepOver steppedOver;

    /**
     * A new thread's first stop and its parent's CLONE report, which the kernel delivers in either
     * order. One value; the legal transitions are the methods below, checked where they are made:
     * <pre>
     *   KNOWN ------------------ awaitFirstStop: made at its parent's CLONE report (or told of by
     *                            its parent's stop during a detach) --------------&gt; AWAITING_FIRST_STOP
     *   KNOWN ------------------ awaitParentReport: its first stop came first ---&gt; AWAITING_PARENT_REPORT
     *   AWAITING_FIRST_STOP ---- firstStop: an interrupt or group stop ---------&gt; KNOWN
     *   AWAITING_PARENT_REPORT - parentReported: its parent's CLONE report, or
     *                            its exec as the leader --------------------------&gt; KNOWN
     * </pre>
     * {@link #firstStop} is a no-op in the other states (any interrupt or group stop may be the
     * first), {@link #parentReported} in KNOWN (a thread seized from /proc before its parent's
     * report came). Illegal, and an {@link IllegalStateException}: awaiting anything for a thread
     * already known or awaiting the other, and a parent's report for a thread made at that report.
     * Orthogonal to {@link StopState} and {@link Life}: a thread awaiting its parent's report is
     * stopped, or exiting (killed before its first stop) and let go on to its death.
     */
    enum Birth {
        /** Its first stop and its parent's report are behind us (or it was seized, launched, attached). */
        KNOWN,
        /** Made at its parent's CLONE report; its first stop not seen yet (the kernel holds it there before any code). */
        AWAITING_FIRST_STOP,
        /** Its first stop came before its parent's CLONE report: held until engines could attach to it there. */
        AWAITING_PARENT_REPORT
    }

    private Birth birth = Birth.KNOWN;

    Birth birth() {
        return birth;
    }

    private void born(String transition, Birth to, Birth from) {
        if (birth != from) {
            throw new IllegalStateException(this + ": illegal transition " + transition + " from " + birth
                    + " (legal from " + from + ")");
        }
        birth = to;
    }

    void awaitFirstStop() {
        born("awaitFirstStop", Birth.AWAITING_FIRST_STOP, Birth.KNOWN);
    }

    void awaitParentReport() {
        born("awaitParentReport", Birth.AWAITING_PARENT_REPORT, Birth.KNOWN);
    }

    /** An interrupt or group stop: returns whether it was this new thread's first. */
    boolean firstStop() {
        if (birth != Birth.AWAITING_FIRST_STOP) {
            return false;
        }
        birth = Birth.KNOWN;
        return true;
    }

    void parentReported() {
        if (birth == Birth.AWAITING_FIRST_STOP) {
            throw new IllegalStateException(this + ": illegal transition parentReported from " + birth
                    + " (it was made at that report)");
        }
        birth = Birth.KNOWN;
    }
    /** What this thread's debug registers hold (tracer-thread only, written while stopped). */
    final ThreadDebugRegisters debugRegisters = new ThreadDebugRegisters();
    /** The pc where the running single-step started, kept only while watchpoints exist (-1: unknown). */
    long pcBeforeStep = -1;
    /**
     * The service's software-watch step runs with the trap flag the program set itself: the step
     * trap is the program's SIGTRAP too (see Steps.stepDone).
     */
    boolean userTrapFlag;
    /** Software watches: this thread runs to its syscall stops instead of stepping (Watches.softWatchStep). */
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
