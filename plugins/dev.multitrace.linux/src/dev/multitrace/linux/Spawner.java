package dev.multitrace.linux;

import com.sun.jna.Native;
import com.sun.jna.StringArray;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a program held before its first instruction, for a tracer to seize.
 *
 * <p><b>Why not ProcessBuilder:</b> the JDK's reaper thread {@code waitpid}s every child
 * it starts, consuming the ptrace stops meant for the tracer (which then hangs). Here
 * the child is made with {@code posix_spawn} from the calling thread, and nobody but
 * that thread waits for it.
 *
 * <p><b>How:</b> posix_spawn runs
 * <pre>/bin/sh -c 'read MULTITRACE_GATE &lt;&amp;3 || exit 126; exec 3&lt;&amp;-; exec "$0" "$@"' PROG ARGS...</pre>
 * with pipes dup'ed onto fds 0/1/2 and a "gate" pipe on fd 3. The shell blocks reading
 * the gate; the caller seizes the pid (with {@code TRACEEXEC}, and {@code EXITKILL} so
 * an abandoned child dies with the tracer), then calls {@link SpawnedProcess#release()}.
 * The shell execs PROG (searched in the child environment's PATH) and the tracer gets the
 * {@code PTRACE_EVENT_EXEC} stop with the new image mapped and not one instruction of it
 * run. If PROG cannot be executed the shell prints why on stderr and exits 127/126, and
 * the tracer sees an exit instead of an EXEC stop.
 *
 * <p><b>Parent:</b> glibc's posix_spawn uses {@code clone(CLONE_VM|CLONE_VFORK)} from the
 * calling thread, so the child's real parent is that thread; {@code waitpid} with
 * {@code __WNOTHREAD} on it sees this child and none of the JDK's. Call {@link #start()}
 * on the tracer thread.
 *
 * <p><b>Descriptors:</b> parent-side pipe ends are created O_CLOEXEC so no other child
 * (including ones the JDK starts concurrently) inherits them; dup2 clears CLOEXEC on the
 * child's copies; every other descriptor above 3 is closed in the child
 * ({@code posix_spawn_file_actions_addclosefrom_np}), and the shell closes fd 3 before
 * the exec. Signal dispositions are reset to default and the signal mask emptied, since
 * the JVM's ignored signals and the calling thread's mask would otherwise be inherited.
 *
 * <p><b>Address space randomization:</b> with {@link #disableRandomization(boolean)} the calling
 * thread holds {@link Personality#ADDR_NO_RANDOMIZE} across the posix_spawn (see {@link Personality}
 * for why that touches neither the JVM nor its other threads); the gate shell inherits the persona
 * and keeps it across its exec of the program, as gdb's own inferiors do.
 */
public final class Spawner {

    /** The shell used as the gate; absolute so no PATH lookup happens before the gate. */
    public static final String SHELL = "/bin/sh";

    /**
     * The gate. The line read goes to a variable of our own: the program must get the environment
     * unchanged, and {@code _}, the usual throw-away name, is in most environments (bash sets it
     * for every command it runs) and would reach the program emptied.
     */
    static final String GATE_SCRIPT = "read MULTITRACE_GATE <&3 || exit 126; exec 3<&-; exec \"$0\" \"$@\"";

    private static final int GATE_FD = 3;

    private final List<String> command;
    private Path directory;
    private Map<String, String> environment;
    private Stdio stdin = Stdio.PIPE;
    private Stdio stdout = Stdio.PIPE;
    private Stdio stderr = Stdio.PIPE;
    private boolean newProcessGroup;
    private boolean disableRandomization;

    /** A spawner for {@code command} (program, then arguments); the program must not be empty. */
    public Spawner(List<String> command) {
        if (command.isEmpty() || command.get(0).isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.command = List.copyOf(command);
    }

    /** Shorthand for {@code new Spawner(List.of(command))}. */
    public static Spawner of(String... command) {
        return new Spawner(List.of(command));
    }

    /** Working directory of the child (default: the JVM's). */
    public Spawner directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** The complete environment of the child (default: a copy of the JVM's). */
    public Spawner environment(Map<String, String> env) {
        this.environment = new LinkedHashMap<>(env);
        return this;
    }

    public Spawner stdin(Stdio s) {
        this.stdin = s;
        return this;
    }

    public Spawner stdout(Stdio s) {
        this.stdout = s;
        return this;
    }

    public Spawner stderr(Stdio s) {
        this.stderr = s;
        return this;
    }

    /** Let the child use the caller's stdin, stdout and stderr. */
    public Spawner inheritIO() {
        return stdin(Stdio.INHERIT).stdout(Stdio.INHERIT).stderr(Stdio.INHERIT);
    }

    /** Put the child in a new process group (so terminal signals can target it alone). */
    public Spawner newProcessGroup(boolean b) {
        this.newProcessGroup = b;
        return this;
    }

    /**
     * Start the child with {@code personality(ADDR_NO_RANDOMIZE)}: the same addresses in every run
     * (gdb's {@code set disable-randomization on}). Off by default: the caller's persona is inherited.
     */
    public Spawner disableRandomization(boolean b) {
        this.disableRandomization = b;
        return this;
    }

    /**
     * Spawns the gate shell. Returns once it runs (posix_spawn waits for its exec), blocked
     * at the gate.
     *
     * @throws LinuxException if pipes cannot be made or posix_spawn fails (e.g. ENOENT for
     *         a bad working directory)
     */
    public SpawnedProcess start() {
        List<Integer> toClose = new ArrayList<>();   // everything not handed to the caller
        List<Integer> parentFds = new ArrayList<>(); // closed too if we fail
        com.sun.jna.Memory fa = new com.sun.jna.Memory(LibC.SIZEOF_FILE_ACTIONS);
        com.sun.jna.Memory attr = new com.sun.jna.Memory(LibC.SIZEOF_SPAWNATTR);
        com.sun.jna.Memory sigs = new com.sun.jna.Memory(LibC.SIZEOF_SIGSET);
        boolean ok = false;
        check(LibC.posix_spawn_file_actions_init(fa), "posix_spawn_file_actions_init");
        check(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
        try {
            int[] in = stdin == Stdio.PIPE ? pipe() : null;
            track(in, toClose, parentFds, 0);
            int[] out = stdout == Stdio.PIPE ? pipe() : null;
            track(out, toClose, parentFds, 1);
            int[] err = stderr == Stdio.PIPE ? pipe() : null;
            track(err, toClose, parentFds, 1);
            int[] gate = pipe();
            track(gate, toClose, parentFds, 0);

            if (directory != null) {
                check(LibC.posix_spawn_file_actions_addchdir_np(fa, directory.toString()), "addchdir_np");
            }
            wire(fa, stdin, in, 0, 0, LibC.O_RDONLY);
            wire(fa, stdout, out, 1, 1, LibC.O_WRONLY);
            wire(fa, stderr, err, 1, 2, LibC.O_WRONLY);
            check(LibC.posix_spawn_file_actions_adddup2(fa, gate[0], GATE_FD), "adddup2");
            check(LibC.posix_spawn_file_actions_addclosefrom_np(fa, GATE_FD + 1), "addclosefrom_np");

            short flags = (short) (LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF);
            LibC.sigemptyset(sigs);
            check(LibC.posix_spawnattr_setsigmask(attr, sigs), "setsigmask");
            LibC.sigfillset(sigs);
            check(LibC.posix_spawnattr_setsigdefault(attr, sigs), "setsigdefault");
            if (newProcessGroup) {
                flags |= LibC.POSIX_SPAWN_SETPGROUP;
                check(LibC.posix_spawnattr_setpgroup(attr, 0), "setpgroup");
            }
            check(LibC.posix_spawnattr_setflags(attr, flags), "setflags");

            List<String> argv = new ArrayList<>();
            argv.add(SHELL);
            argv.add("-c");
            argv.add(GATE_SCRIPT);
            argv.addAll(command);
            StringArray argvC = new StringArray(argv.toArray(new String[0]), "UTF-8");
            StringArray envC = new StringArray(envp(), "UTF-8");

            int[] pid = new int[1];
            int rc;
            if (disableRandomization) {
                try (Personality.Scope s = Personality.noRandomization()) {
                    rc = LibC.posix_spawn(pid, SHELL, fa, attr, argvC, envC);
                }
            } else {
                rc = LibC.posix_spawn(pid, SHELL, fa, attr, argvC, envC);
            }
            if (rc != 0) {
                throw LinuxException.of(rc, "posix_spawn(" + SHELL + " ... " + command.get(0) + ")");
            }
            SpawnedProcess p = new SpawnedProcess(pid[0], command,
                    in != null ? new FdOutputStream(in[1]) : OutputStream.nullOutputStream(),
                    out != null ? new FdInputStream(out[0]) : InputStream.nullInputStream(),
                    err != null ? new FdInputStream(err[0]) : InputStream.nullInputStream(),
                    new FdOutputStream(gate[1]));
            ok = true;
            return p;
        } finally {
            for (int fd : toClose) {
                LibC.close(fd);
            }
            if (!ok) {
                for (int fd : parentFds) {
                    LibC.close(fd);
                }
            }
            LibC.posix_spawn_file_actions_destroy(fa);
            LibC.posix_spawnattr_destroy(attr);
        }
    }

    private String[] envp() {
        Map<String, String> env = environment != null ? environment : System.getenv();
        String[] out = new String[env.size()];
        int i = 0;
        for (Map.Entry<String, String> e : env.entrySet()) {
            out[i++] = e.getKey() + "=" + e.getValue();
        }
        return out;
    }

    /** Child gets {@code pipe[childEnd]}; the other end is the caller's. */
    private static void track(int[] pipe, List<Integer> toClose, List<Integer> parentFds, int childEnd) {
        if (pipe != null) {
            toClose.add(pipe[childEnd]);
            parentFds.add(pipe[1 - childEnd]);
        }
    }

    private static void wire(com.sun.jna.Memory fa, Stdio how, int[] pipe, int childEnd, int target, int oflag) {
        switch (how) {
            case PIPE -> check(LibC.posix_spawn_file_actions_adddup2(fa, pipe[childEnd], target), "adddup2");
            case NULL -> check(LibC.posix_spawn_file_actions_addopen(fa, target, "/dev/null", oflag, 0), "addopen");
            case INHERIT -> { }
        }
    }

    /**
     * pipe2 with O_CLOEXEC, both ends moved to fd 10 or above: if a child end were already
     * fd 0..3, dup2 onto itself would be a no-op that leaves CLOEXEC set.
     */
    private static int[] pipe() {
        int[] fds = new int[2];
        if (LibC.pipe2(fds, LibC.O_CLOEXEC) != 0) {
            throw LinuxException.of(Native.getLastError(), "pipe2");
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i] < 10) {
                int moved = LibC.fcntl(fds[i], LibC.F_DUPFD_CLOEXEC, 10);
                int errno = Native.getLastError();
                LibC.close(fds[i]);
                if (moved < 0) {
                    LibC.close(fds[1 - i]);
                    throw LinuxException.of(errno, "fcntl(F_DUPFD_CLOEXEC)");
                }
                fds[i] = moved;
            }
        }
        return fds;
    }

    private static void check(int rc, String what) {
        // posix_spawn* return the error number instead of setting errno.
        if (rc != 0) {
            throw LinuxException.of(rc, what);
        }
    }
}
