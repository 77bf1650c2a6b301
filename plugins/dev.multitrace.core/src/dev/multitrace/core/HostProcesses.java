package dev.multitrace.core;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcessInfo;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.Wait;
import dev.multitrace.linux.WaitResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The machine's processes from /proc, for layers that must not see the Linux bundle (attach dialogs). */
public final class HostProcesses {

    private HostProcesses() {
    }

    /** Every process now, ascending by pid, with who traces it. */
    public static List<HostProcess> list() {
        List<ProcessInfo> all = ProcFs.processes();
        Map<Integer, String> names = new HashMap<>();
        for (ProcessInfo p : all) {
            names.put(p.pid(), p.name());
        }
        List<HostProcess> out = new ArrayList<>(all.size());
        for (ProcessInfo p : all) {
            String tracer = "";
            if (p.tracerPid() != 0) {
                // TracerPid is a tid: look it up as a process too (its comm is the thread's, which is fine).
                tracer = names.getOrDefault(p.tracerPid(), commOrEmpty(p.tracerPid()));
            }
            out.add(new HostProcess(p.pid(), p.ppid(), p.name(), p.user(), p.state(), p.tracerPid(), tracer, p.cmdline()));
        }
        return out;
    }

    /** The thread ids of a process now; empty if it is gone. */
    public static int[] threads(int pid) {
        try {
            return ProcFs.tasks(pid);
        } catch (LinuxException e) {
            return new int[0];
        }
    }

    /** Whether the process exists now. */
    public static boolean exists(int pid) {
        return ProcFs.exists(pid);
    }

    /**
     * The process's start time (clock ticks after boot, field 22 of /proc/PID/stat), which with the
     * pid names one process for good: a later process given the same pid starts later. -1 if it is
     * gone.
     */
    public static long startTime(int pid) {
        try {
            return ProcFs.startTime(pid);
        } catch (LinuxException e) {
            return -1;
        }
    }

    /** Whether the process {@code pid} that started at {@code startTime} still runs (it exists and is no zombie). */
    public static boolean running(int pid, long startTime) {
        try {
            return ProcFs.startTime(pid) == startTime && ProcFs.status(pid).state() != 'Z';
        } catch (LinuxException e) {
            return false;
        }
    }

    /**
     * Collects the exit status of {@code pid} if it is an ended child of this JVM (a program the
     * service launched and then let go: the service's thread, or the JVM once that thread is gone,
     * stays its parent).
     *
     * @return how it ended; null if it still runs or is not this JVM's child (then its parent gets
     *         the status and nobody can tell it here)
     */
    public static ExitStatus reapIfEnded(int pid) {
        try {
            WaitResult r = Wait.waitpid(pid, PtraceConstants.WNOHANG);
            return r == null ? null : ExitStatus.of(r.status().raw());
        } catch (LinuxException e) {
            // ECHILD: not ours, or reaped already by a closed service's waiter (Tracer.close)
            CompletableFuture<ExitStatus> byService = REAPED_BY_SERVICE.remove(pid);
            try {
                return byService == null ? null : byService.get(1, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException unknown) {
                return null;
            }
        }
    }

    /**
     * Exit statuses of programs a service launched and let go, collected by that service (by its
     * tracer thread, or after it closed by a waiter of its own: nobody else would, and each would
     * stay a zombie of the JVM), kept for a client that watches such a program by pid. A waiter
     * registers its entry before it waits, so that a client that sees the pid gone from /proc
     * finds the status, if only a moment later.
     */
    static final Map<Integer, CompletableFuture<ExitStatus>> REAPED_BY_SERVICE = new ConcurrentHashMap<>();

    /**
     * SIGKILLs the process {@code pid} if it is still the one that started at {@code startTime}.
     *
     * @return whether the signal was sent
     */
    public static boolean kill(int pid, long startTime) {
        return running(pid, startTime) && LibC.kill(pid, Signal.SIGKILL) == 0;
    }

    /**
     * The number of the syscall thread {@code tid} is in (see {@link ProcFs#syscallNumber}); -1 when
     * it is in user code, running, gone or unreadable.
     */
    public static int syscallNumber(int tid) {
        try {
            return ProcFs.syscallNumber(tid);
        } catch (LinuxException | NumberFormatException e) {
            return -1;
        }
    }

    /** The Yama ptrace_scope setting (0-3), or -1 where Yama is absent. */
    public static int ptraceScope() {
        return ProcFs.ptraceScope();
    }

    private static String commOrEmpty(int pid) {
        try {
            return ProcFs.comm(pid);
        } catch (LinuxException e) {
            return "";
        }
    }
}
