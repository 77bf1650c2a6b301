package dev.multitrace.linux;

/**
 * A failed Linux system call, unchecked: callers on the tracer thread handle the few
 * cases they expect (a task that died, a denied attach) by subclass and let the rest
 * propagate.
 *
 * <p>Carries the errno value, its symbolic name and the operation that failed in a form
 * such as {@code "ptrace(SEIZE, 1234)"}.
 */
public class LinuxException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String operation;

    /** Creates an exception with a message of the form {@code "op: detail (ENAME)"}. */
    public LinuxException(int errno, String operation, String detail) {
        super(operation + ": " + detail + " (" + Errno.name(errno) + ")");
        this.errno = errno;
        this.operation = operation;
    }

    /** Creates an exception whose detail is the C library's description of errno. */
    public LinuxException(int errno, String operation) {
        this(errno, operation, Errno.describe(errno));
    }

    /** The errno value (positive). */
    public int errno() {
        return errno;
    }

    /** The symbolic errno name, e.g. {@code "ESRCH"}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The failed operation, e.g. {@code "ptrace(SEIZE, 1234)"}. */
    public String operation() {
        return operation;
    }

    /**
     * Picks the exception type for a failure of an operation on task {@code pid}:
     * {@link NoSuchTaskException} for ESRCH, {@link PermissionDeniedException} (with the
     * reason found by inspecting the target) for EPERM/EACCES, else a plain
     * {@code LinuxException}.
     */
    public static LinuxException of(int errno, String operation, int pid) {
        return switch (errno) {
            case Errno.ESRCH -> new NoSuchTaskException(operation, pid);
            case Errno.EPERM, Errno.EACCES ->
                new PermissionDeniedException(errno, operation, pid, PtraceDenial.explain(pid));
            default -> new LinuxException(errno, operation);
        };
    }

    /** Like {@link #of(int, String, int)} for operations that do not name a task. */
    public static LinuxException of(int errno, String operation) {
        return new LinuxException(errno, operation);
    }

    /** Builds from the errno JNA saved after the last native call on this thread. */
    static LinuxException last(String operation, int pid) {
        return of(com.sun.jna.Native.getLastError(), operation, pid);
    }
}
