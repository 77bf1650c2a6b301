package dev.multitrace.rsp;

import java.util.List;

/**
 * What the connected client negotiated (qSupported, QNonStop, {@code !}) and which threads it
 * selected (Hg, Hc, the last stop reported), with the look-ups every packet family makes: the
 * thread a packet is for, the current process.
 * <p>
 * Protocol thread only: the reader thread and the engine callbacks never see it.
 */
final class ClientState {

    final StubTarget target;

    boolean multiprocess;
    /** The client takes an error as text, {@code E.message} (it offered error-message+ in qSupported). */
    boolean errorMessages;
    boolean swbreak;
    boolean hwbreak;
    boolean extended;
    boolean nonStop;
    /** Hg: the thread registers and memory are read from. */
    ThreadId general = ThreadId.ANY_THREAD;
    /** Hc: the thread c and s resume (all, by default). */
    ThreadId cont = ThreadId.ALL_THREADS;
    /** The thread of the last stop reported (or Hg's), for "any thread". */
    StubThread current;
    /** Set when the session is to end after this packet. */
    RemoteSession.End end;

    ClientState(StubTarget target) {
        this.target = target;
    }

    /** The thread a packet is for: a specific one, or for "any"/"all" the current (or first) one. */
    StubThread thread(ThreadId t) {
        StubThread th = find(t);
        if (th == null) {
            // IllegalStateException, not NO_SUCH_THREAD: a packet for the selected thread when it is
            // gone answers as for a thread that cannot be examined (E02), as it always has.
            throw new IllegalStateException("no such thread: " + t);
        }
        return th;
    }

    /** The thread Hg selected (registers, memory), which must exist. */
    StubThread generalThread() {
        return thread(general);
    }

    StubThread find(ThreadId t) {
        List<StubThread> all = target.threads();
        if (t.tid() == ThreadId.ANY || t.tid() == ThreadId.ALL) {
            if (current != null && all.contains(current) && t.matches(current.process.pid, current.tid)) {
                return current;
            }
        }
        for (StubThread th : all) {
            if (t.matches(th.process.pid, th.tid)) {
                return th;
            }
        }
        return null;
    }

    StubThread currentThread() {
        return find(general);
    }

    StubProcess currentProcess() {
        StubThread th = currentThread();
        if (th != null) {
            return th.process;
        }
        List<StubProcess> ps = target.processList();
        return ps.isEmpty() ? null : ps.get(0);
    }

    /** A live thread of the current process, whose engine plants the process's breakpoints; null: none. */
    StubThread anyThreadOfCurrentProcess() {
        StubProcess proc = currentProcess();
        synchronized (target) {
            return proc == null ? null : proc.anyThread();
        }
    }

    StubProcess process(int pid) {
        synchronized (target) {
            return target.processes.get(pid);
        }
    }

    /** The process {@code pid}, which must be one of ours. */
    StubProcess existingProcess(int pid) {
        StubProcess p = process(pid);
        if (p == null) {
            throw RspError.NO_SUCH_PROCESS.error("no process " + pid);
        }
        return p;
    }

    /** The current process, which must exist. */
    StubProcess existingCurrentProcess() {
        StubProcess p = currentProcess();
        if (p == null) {
            throw RspError.NO_SUCH_PROCESS.error("no process");
        }
        return p;
    }

    /** The thread's id as this client writes it (p<pid>.<tid> with multiprocess). */
    String id(StubThread th) {
        return ThreadId.format(th.process.pid, th.tid, multiprocess);
    }

    /** A stop was reported for {@code th}: it becomes the current and the general thread. */
    void select(StubThread th) {
        current = th;
        general = new ThreadId(th.process.pid, th.tid);
    }
}
