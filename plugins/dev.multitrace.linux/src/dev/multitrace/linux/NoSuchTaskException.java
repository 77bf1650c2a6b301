package dev.multitrace.linux;

/**
 * ESRCH: the task does not exist, or (for ptrace requests other than SEIZE/ATTACH) it is
 * not a tracee of the calling thread or not currently ptrace-stopped. The message tells
 * the two apart by looking at /proc.
 */
public class NoSuchTaskException extends LinuxException {

    private static final long serialVersionUID = 1L;

    private final int pid;

    public NoSuchTaskException(String operation, int pid) {
        super(Errno.ESRCH, operation, detail(pid));
        this.pid = pid;
    }

    /** The task (tid) the operation named. */
    public int pid() {
        return pid;
    }

    private static String detail(int pid) {
        if (pid > 0 && ProcFs.exists(pid)) {
            return "task " + pid + " is not a ptrace-stopped tracee of this thread";
        }
        return "no such task " + pid;
    }
}
