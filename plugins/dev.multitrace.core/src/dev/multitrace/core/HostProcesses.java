package dev.multitrace.core;

import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcessInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
