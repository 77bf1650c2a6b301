package dev.multitrace.linux;

/**
 * EPERM or EACCES on an operation against a task, with the reason found by looking at
 * the target: another tracer, the Yama {@code ptrace_scope} policy, or credentials.
 */
public class PermissionDeniedException extends LinuxException {

    private static final long serialVersionUID = 1L;

    private final int pid;
    private final String reason;

    public PermissionDeniedException(int errno, String operation, int pid, String reason) {
        super(errno, operation, "not permitted: " + reason);
        this.pid = pid;
        this.reason = reason;
    }

    /** The task the operation named. */
    public int pid() {
        return pid;
    }

    /** Why, e.g. {@code "already traced by pid 77 (strace)"} or {@code "ptrace_scope=1 forbids it"}. */
    public String reason() {
        return reason;
    }
}
