package dev.multitrace.linux;

/**
 * Works out why the kernel refused a ptrace operation. The kernel only says EPERM; the
 * user needs to know whether to stop another debugger, change ptrace_scope or become
 * another user, so we look at the target the way {@code __ptrace_may_access} and Yama do.
 */
final class PtraceDenial {

    /** Capability bit of CAP_SYS_PTRACE in /proc/PID/status CapEff. */
    private static final int CAP_SYS_PTRACE = 19;

    private PtraceDenial() {
    }

    static String explain(int pid) {
        ProcStatus st;
        try {
            st = ProcFs.status(pid);
        } catch (LinuxException e) {
            return "cannot inspect /proc/" + pid + " (" + e.errnoName() + ")";
        }
        if (st.tracerPid() != 0) {
            return "already traced by pid " + st.tracerPid() + " (" + ProcFs.comm(st.tracerPid()) + ")";
        }
        if (st.kernelThread()) {
            return "pid " + pid + " is a kernel thread";
        }
        int self = LibC.getpid();
        if (st.tgid() == self) {
            return "pid " + pid + " is a thread of this very process";
        }
        boolean privileged = hasCapSysPtrace();
        int scope = ProcFs.ptraceScope();
        if (scope >= 3) {
            return "ptrace_scope=" + scope + " forbids it (attaching disabled until reboot)";
        }
        if (scope == 2 && !privileged) {
            return "ptrace_scope=2 forbids it (only processes with CAP_SYS_PTRACE may attach)";
        }
        if (scope == 1 && !privileged && !isAncestor(self, pid)) {
            return "ptrace_scope=1 forbids it (only ancestors, or a tracer allowed with "
                    + "prctl(PR_SET_PTRACER), may attach; we are not an ancestor of " + pid + ")";
        }
        int ourUid = LibC.getuid();
        if (!privileged && (st.realUid() != ourUid || st.effectiveUid() != ourUid)) {
            return "credentials: process owned by uid " + st.effectiveUid() + ", we are uid " + ourUid;
        }
        if (!privileged) {
            return "credentials: process is not dumpable (set-uid/set-gid/file capabilities, "
                    + "or prctl(PR_SET_DUMPABLE, 0)) or an LSM refused it; we are uid " + ourUid;
        }
        return "refused although we have CAP_SYS_PTRACE (LSM such as SELinux/AppArmor, "
                + "or the target is in an ancestor user namespace)";
    }

    private static boolean isAncestor(int self, int pid) {
        int p = pid;
        for (int guard = 0; p > 1 && guard < 4096; guard++) {
            if (p == self) {
                return true;
            }
            try {
                p = ProcFs.status(p).ppid();
            } catch (LinuxException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean hasCapSysPtrace() {
        try {
            long capEff = ProcFs.status(LibC.getpid()).capEff();
            return (capEff & (1L << CAP_SYS_PTRACE)) != 0;
        } catch (LinuxException e) {
            return LibC.geteuid() == 0;
        }
    }
}
