package dev.multitrace.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A traced thread group. Tasks are added and removed by the tracer thread; views read snapshots. */
public final class TracedProcess {

    final int pid;
    /** True when the service started it: then it is our child and its exit status is ours to collect. */
    final boolean launched;
    final boolean wasGroupStoppedAtAttach;
    final java.util.Map<Integer, Task> tasks = new java.util.concurrent.ConcurrentHashMap<>();
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    /**
     * Tracer-thread only (but {@link BreakpointTable#hidden()}, which examinations read on their
     * own thread): the int3 bytes the service planted in this address space.
     */
    volatile BreakpointTable breakpoints;
    /**
     * Bumped (on the tracer thread) at every write of a thread's registers or of the memory through
     * an {@link Examination} of this process: what a reader caches for a stop (a walked stack, the
     * registers) holds while this and the stop's generation stay the same.
     */
    volatile long modifications;
    /** Tracer-thread only: the hardware watchpoints every thread of this process carries. */
    final WatchpointTable watchpoints = new WatchpointTable();
    /** Tracer-thread only: the software watchpoints (where the debug registers are dead or taken). */
    final SoftwareWatchTable softWatches = new SoftwareWatchTable();
    /** Follow fork/vfork children (off by default: they are detached at their first stop). */
    volatile boolean followForks;
    /** The service no longer traces it (detached or gone). */
    volatile boolean detached;
    OutputStream stdin;
    InputStream stdout;
    InputStream stderr;
    /**
     * Tracer-thread only: how many operations need every thread of this process stopped now (a
     * step-over, an attach, a detach, a debug-register write). While it is not 0 no thread is
     * resumed, except an exiting one (it runs no user code).
     */
    int pauses;
    /** Tracer-thread only: stops seen during a pause and reported when it ends: (tid, raw status). */
    final java.util.ArrayDeque<int[]> held = new java.util.ArrayDeque<>();
    /** Tracer-thread only: the step over a breakpoint in flight in this process, if any. */
    StepOver stepOver;
    final ProcessJournal journal = new ProcessJournal();

    TracedProcess(int pid, boolean launched, boolean wasGroupStopped) {
        this.pid = pid;
        this.launched = launched;
        this.wasGroupStoppedAtAttach = wasGroupStopped;
        this.breakpoints = new BreakpointTable(pid);
    }

    public int pid() {
        return pid;
    }

    /**
     * What the service last decided about this process's threads (seized, born, let go, dead,
     * forgotten), oldest first: to tell how a process came to be in a state it should not be in.
     */
    public List<String> journal() {
        return journal.lines();
    }

    public List<Task> tasks() {
        List<Task> l = new ArrayList<>(tasks.values());
        l.sort((a, b) -> Integer.compare(a.tid, b.tid));
        return l;
    }

    public Task task(int tid) {
        return tasks.get(tid);
    }

    /** The main thread (tid == pid), or null once it is gone. */
    public Task leader() {
        return tasks.get(pid);
    }

    /**
     * Completes when the process is gone: with its exit status where the service could collect
     * it (it launched the process), else with the leader's.
     */
    public CompletableFuture<ExitStatus> exitStatus() {
        return exit;
    }

    public void setFollowForks(boolean follow) {
        this.followForks = follow;
    }

    public boolean isDetached() {
        return detached;
    }

    /** The program's stdin, when the service launched it with pipes; else null. */
    public OutputStream stdin() {
        return stdin;
    }

    public InputStream stdout() {
        return stdout;
    }

    public InputStream stderr() {
        return stderr;
    }

    @Override
    public String toString() {
        return "Process " + pid;
    }
}
