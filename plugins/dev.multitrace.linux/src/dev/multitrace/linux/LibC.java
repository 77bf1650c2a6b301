package dev.multitrace.linux;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.invoke.MethodHandle;

/**
 * Raw glibc entry points used by the tracer.
 *
 * <p><b>Why direct mapping:</b> every ptrace stop costs several of these calls
 * (waitpid, GETREGSET, CONT). JNA direct mapping binds the {@code native} methods
 * below through JNI {@code RegisterNatives}: no proxy, no reflection, no boxing, which
 * measured about 0.4 µs per stop over C versus 1–1.7 µs with interface mapping. The
 * price is that only primitive, {@code Pointer}, {@code String} and primitive-array
 * parameters are allowed, so {@code char*[]} and structures are passed as {@code Pointer}
 * to native memory that the callers lay out themselves.
 *
 * <p><b>errno:</b> JNA captures {@code errno} in native code right after each call
 * (before the JVM can clobber it) and {@link Native#getLastError()} returns that saved
 * per-thread copy, so read it immediately after a call that reported failure (-1).
 * It is not reset before a call: only consult it after a failure indication.
 *
 * <p>Variadic C functions ({@code ptrace}, {@code syscall}, {@code open}) are bound with a
 * fixed arity; on the x86-64 System V ABI integer arguments of variadic and fixed calls
 * are passed identically, so this is safe here.
 *
 * <p>Requires glibc 2.34 or later ({@code tgkill}, {@code gettid},
 * {@code posix_spawn_file_actions_addclosefrom_np}).
 */
public final class LibC {

    static {
        Native.register(NativeLibrary.getInstance("c"));
    }

    private LibC() {
    }

    /** x86-64 syscall number of ptrace, used for PEEK requests (see {@link Ptrace#peekData}). */
    public static final long SYS_PTRACE = 101;
    /** x86-64 syscall number of tgkill. */
    public static final long SYS_TGKILL = 234;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int F_DUPFD_CLOEXEC = 1030;

    // --- tracing --------------------------------------------------------------------

    /** The errno of the last call on this thread that reported failure (saved by JNA right after the call). */
    public static int errno() {
        return Native.getLastError();
    }

    /**
     * {@code long ptrace(enum __ptrace_request, pid_t, void *addr, void *data)}: through FFM when the
     * JDK has it (see {@link Downcalls}), else JNA; errno as {@link #errno()} either way.
     */
    public static long ptrace(long request, int pid, long addr, long data) {
        MethodHandle h = Downcalls.PTRACE;
        if (h == null) {
            return Jna.ptrace(request, pid, addr, data);
        }
        Downcalls.CallState s = Scratch.get().callState();
        long r;
        try {
            r = (long) h.invokeExact(s.segment, (int) request, pid, addr, data);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (r == -1) {
            s.publishErrno();
        }
        return r;
    }

    /** {@code long syscall(long nr, ...)} with up to six integer arguments. */
    public static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    /**
     * {@code pid_t waitpid(pid_t, int *status, int options)}; status is a one-element array. Through
     * FFM when the JDK has it (the status goes through this thread's native call state), else JNA.
     */
    public static int waitpid(int pid, int[] status, int options) {
        MethodHandle h = Downcalls.WAITPID;
        if (h == null) {
            return Jna.waitpid(pid, status, options);
        }
        Downcalls.CallState s = Scratch.get().callState();
        long statusAddress = Pointer.nativeValue(s.memory) + s.statusOffset;
        int r;
        try {
            r = (int) h.invokeExact(s.segment, pid, statusAddress, options);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (r > 0) {
            status[0] = s.memory.getInt(s.statusOffset);
        } else if (r == -1) {
            s.publishErrno();
        }
        return r;
    }

    /** {@code int waitid(idtype_t, id_t, siginfo_t *info, int options)}; info is 128 bytes. */
    public static native int waitid(int idtype, int id, Pointer info, int options);

    public static native int kill(int pid, int sig);

    /** Signal one thread; glibc has wrapped this since 2.30 (older: syscall {@link #SYS_TGKILL}). */
    public static native int tgkill(int tgid, int tid, int sig);

    public static native int getpid();

    /**
     * {@code int personality(unsigned long persona)}: sets the calling <em>thread's</em> execution
     * domain and returns the previous one; {@code 0xffffffff} only queries. See {@link Personality}.
     */
    public static native int personality(long persona);

    public static native int gettid();

    public static native int getuid();

    public static native int geteuid();

    // --- memory ---------------------------------------------------------------------

    /** {@code ssize_t process_vm_readv(pid, const struct iovec *local, n, const struct iovec *remote, n, flags)}. */
    public static native long process_vm_readv(int pid, Pointer localIov, long localCount,
            Pointer remoteIov, long remoteCount, long flags);

    public static native long process_vm_writev(int pid, Pointer localIov, long localCount,
            Pointer remoteIov, long remoteCount, long flags);

    // --- files ----------------------------------------------------------------------

    public static native int open(String path, int flags, int mode);

    public static native int close(int fd);

    public static native long read(int fd, Pointer buf, long count);

    public static native long write(int fd, Pointer buf, long count);

    /** 64-bit offset on x86-64 (off_t is 64 bits), so no pread64 is needed. */
    public static native long pread(int fd, Pointer buf, long count, long offset);

    /** Through FFM when the JDK has it (see {@link Downcalls}), else JNA; errno as {@link #errno()}. */
    public static long pwrite(int fd, Pointer buf, long count, long offset) {
        MethodHandle h = Downcalls.PWRITE;
        if (h == null) {
            return Jna.pwrite(fd, buf, count, offset);
        }
        Downcalls.CallState s = Scratch.get().callState();
        long r;
        try {
            r = (long) h.invokeExact(s.segment, fd, Pointer.nativeValue(buf), count, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (r == -1) {
            s.publishErrno();
        }
        return r;
    }

    /** A downcall handle throws only what the native code cannot (errors of the JVM itself). */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    /**
     * The JNA bindings of the calls {@link Downcalls} may take over: the fallback when the JDK has no
     * final FFM (Java 21) or it is disabled. A class of their own because {@link Native#register}
     * binds every {@code native} method of a class by its name.
     */
    private static final class Jna {
        static {
            Native.register(Jna.class, NativeLibrary.getInstance("c"));
        }

        static native long ptrace(long request, int pid, long addr, long data);

        static native int waitpid(int pid, int[] status, int options);

        static native long pwrite(int fd, Pointer buf, long count, long offset);
    }

    /** {@code int pipe2(int fds[2], int flags)}. */
    public static native int pipe2(int[] fds, int flags);

    public static native int fcntl(int fd, int cmd, int arg);

    // --- process creation -------------------------------------------------------------

    /**
     * {@code int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *,
     * const posix_spawnattr_t *, char *const argv[], char *const envp[])}. Returns an error
     * number (not -1/errno).
     */
    public static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attr,
            Pointer argv, Pointer envp);

    public static native int posix_spawn_file_actions_init(Pointer fileActions);

    public static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    public static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    public static native int posix_spawn_file_actions_addclose(Pointer fileActions, int fd);

    public static native int posix_spawn_file_actions_addopen(Pointer fileActions, int fd, String path,
            int oflag, int mode);

    public static native int posix_spawn_file_actions_addchdir_np(Pointer fileActions, String path);

    public static native int posix_spawn_file_actions_addclosefrom_np(Pointer fileActions, int from);

    public static native int posix_spawnattr_init(Pointer attr);

    public static native int posix_spawnattr_destroy(Pointer attr);

    public static native int posix_spawnattr_setflags(Pointer attr, short flags);

    public static native int posix_spawnattr_setsigmask(Pointer attr, Pointer sigset);

    public static native int posix_spawnattr_setsigdefault(Pointer attr, Pointer sigset);

    public static native int posix_spawnattr_setpgroup(Pointer attr, int pgroup);

    public static native int sigemptyset(Pointer sigset);

    public static native int sigfillset(Pointer sigset);

    /** glibc's {@code posix_spawn_file_actions_t} is 80 bytes on x86-64; callers allocate this much. */
    public static final int SIZEOF_FILE_ACTIONS = 128;
    /** glibc's {@code posix_spawnattr_t} is 336 bytes on x86-64; callers allocate this much. */
    public static final int SIZEOF_SPAWNATTR = 512;
    /** glibc's {@code sigset_t} is 128 bytes. */
    public static final int SIZEOF_SIGSET = 128;

    public static final short POSIX_SPAWN_SETPGROUP = 0x02;
    public static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    public static final short POSIX_SPAWN_SETSIGMASK = 0x08;

    // --- misc -----------------------------------------------------------------------

    public static native String strerror(int errnum);
}
