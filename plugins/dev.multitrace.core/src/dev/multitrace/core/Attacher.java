package dev.multitrace.core;

import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcStatus;
import dev.multitrace.linux.Ptrace;

import java.util.ArrayList;
import java.util.List;

/**
 * Attaching engines: to a task already traced, or by seizing every thread of its process, which
 * is brought to a stop first (running the event loop, never a wait for one tid).
 * <p>
 * Threading: tracer thread only; callers on other threads go through {@link RequestQueue#call}.
 */
final class Attacher {

    private final TracerContext cx;

    Attacher(TracerContext cx) {
        this.cx = cx;
    }

    Engine attach(int tid, EngineOps ops, int flags, Object data, long mask) {
        Task t = cx.tasks.get(tid);
        if ((flags & AttachFlags.CREATE) == 0 || (flags & AttachFlags.EXCLUSIVE) != 0) {
            Engine match = t == null ? null : match(t, ops, flags, data);
            if ((flags & AttachFlags.CREATE) == 0) {
                return match;
            }
            if (match != null) {
                throw new TracingException("an engine matching " + (data != null ? data : ops) + " is already attached to task " + tid);
            }
        }
        if (t == null || t.dead()) {
            TracedProcess seized = seizeProcess(tid);
            try {
                t = cx.tasks.get(tid);
                if (t == null) {
                    throw new TracingException("task " + tid + " exited while being attached");
                }
                Engine e = new Engine(cx.tracer, t, ops, data, mask);
                t.add(e);
                return e;
            } finally {
                cx.stopAll.unpause(seized); // the seize stopped every thread: let them all go where nobody holds them
            }
        }
        Engine e = new Engine(cx.tracer, t, ops, data, mask);
        t.add(e);
        for (Task x : t.process.tasks.values()) {
            cx.resumer.maybeResume(x);
        }
        return e;
    }

    static Engine match(Task t, EngineOps ops, int flags, Object data) {
        for (Engine e : t.engines) {
            if (e.detached) {
                continue;
            }
            boolean ok = true;
            if ((flags & AttachFlags.MATCH_OPS) != 0) {
                ok &= e.ops == ops;
            }
            if ((flags & AttachFlags.MATCH_DATA) != 0) {
                ok &= java.util.Objects.equals(e.data, data);
            }
            if (ok) {
                return e;
            }
        }
        return null;
    }

    List<Engine> attachAll(int pid, EngineOps ops, Object data, long mask, boolean stop) {
        TracedProcess p = cx.processes.get(pid);
        if (p == null) {
            p = seizeProcess(pid);
        } else {
            cx.stopAll.pause(p);
        }
        try {
            if (cx.processes.get(pid) != p) {
                throw new TracingException("process " + pid + " exited while being attached");
            }
            List<Engine> engines = new ArrayList<>();
            for (Task t : p.tasks()) {
                Engine e = new Engine(cx.tracer, t, ops, data, mask);
                e.holdsStop = stop;
                t.add(e);
                engines.add(e);
            }
            return engines;
        } finally {
            cx.stopAll.unpause(p);
        }
    }

    /**
     * Seizes every thread of the process of {@code tid} and brings each to a stop (running the
     * event loop, never a wait for one tid). Stops that are not our interrupt's are held for
     * normal dispatch. The process is left paused: the caller ends the pause ({@link StopAll#unpause}).
     */
    TracedProcess seizeProcess(int tid) {
        ProcStatus st = ProcFs.status(tid);
        int pid = st.tgid();
        if (st.kernelThread()) {
            throw new TracingException("process " + pid + " (" + st.name() + ") is a kernel thread: it cannot be traced");
        }
        if (pid == cx.myPid) {
            throw new TracingException("process " + pid + " is this JVM: a process cannot trace itself");
        }
        boolean wasStopped = st.state() == 'T';
        TracedProcess p = new TracedProcess(pid, false, wasStopped);
        List<Task> seized = new ArrayList<>();
        try {
            seizeListed(p, seized);
        } catch (RuntimeException e) {
            for (Task t : seized) {
                cx.detachQuietly(t.tid, 0);
            }
            throw e;
        }
        if (seized.isEmpty()) {
            throw new NoSuchTaskException("attach", pid);
        }
        cx.processes.put(pid, p);
        for (Task t : seized) {
            cx.tasks.put(t.tid, t);
        }
        cx.stopAll.pause(p);
        try {
            seizeMissing(p);
        } catch (RuntimeException e) {
            cx.stopAll.unpause(p);
            throw e;
        }
        return p;
    }

    /**
     * A thread created during the listing by a thread not seized yet can be missing from it: seizes
     * those too, {@code p} paused.
     */
    void seizeMissing(TracedProcess p) {
        int pid = p.pid;
        // A thread created during the listing by a thread not seized yet can be missing from it.
        // Now that every seized thread is stopped (and their new threads are auto-attached), the
        // count (the Threads line of /proc/PID/status) says whether one is missing: far cheaper
        // than a second listing, which for 1000 threads costs the kernel milliseconds.
        while (true) {
            int count;
            try {
                count = ProcFs.status(pid).threads();
            } catch (NoSuchTaskException gone) {
                break; // the process is exiting: its deaths follow
            }
            int known = 0;
            for (Task t : p.tasks.values()) {
                known += t.dead() ? 0 : 1;
            }
            if (count <= known) {
                break;
            }
            List<Task> more = new ArrayList<>();
            seizeListed(p, more);
            if (more.isEmpty()) {
                break;
            }
            for (Task t : more) {
                cx.tasks.put(t.tid, t);
            }
            cx.stopAll.stopAndAwait(p);
        }
    }

    /** Seizes the threads of {@code p} listed in /proc that it does not have yet; adds them to {@code seized}. */
    void seizeListed(TracedProcess p, List<Task> seized) {
        for (int x : ProcFs.tasks(p.pid)) {
            if (p.tasks.containsKey(x)) {
                continue;
            }
            try {
                Ptrace.seize(x, Tracer.OPTIONS);
            } catch (NoSuchTaskException gone) {
                continue; // a thread that exited meanwhile
            } catch (dev.multitrace.linux.PermissionDeniedException e) {
                if (cx.tracedByUs(x)) {
                    continue; // a clone of a seized thread: auto-attached, its first stop is on its way
                }
                throw e;
            }
            Task t = new Task(x, p);
            p.tasks.put(x, t);
            p.journal.add("seized " + x);
            seized.add(t);
        }
    }
}
