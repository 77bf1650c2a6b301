package dev.multitrace.engines;

import java.util.Map;

/** The x86-64 Linux flag and constant names the syscall tracer prints, in strace's order. */
final class LinuxFlags {

    private LinuxFlags() {
    }

    static final int AT_FDCWD = -100;
    static final long O_ACCMODE = 3, O_CREAT = 0100, O_TMPFILE = 020200000;

    /** open/openat flags other than the access mode (O_SYNC before O_DSYNC: it contains it). */
    static final FlagSet OPEN = new FlagSet()
            .add("O_CREAT", 0100).add("O_EXCL", 0200).add("O_NOCTTY", 0400).add("O_TRUNC", 01000)
            .add("O_APPEND", 02000).add("O_NONBLOCK", 04000).add("O_SYNC", 04010000).add("O_DSYNC", 010000)
            .add("O_DIRECT", 040000).add("O_LARGEFILE", 0100000).add("O_NOFOLLOW", 0400000)
            .add("O_NOATIME", 01000000).add("O_CLOEXEC", 02000000).add("O_PATH", 010000000)
            .add("O_TMPFILE", O_TMPFILE).add("O_DIRECTORY", 0200000).add("FASYNC", 020000);

    static final String[] ACCESS_MODES = {"O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"};

    static final FlagSet PROT = new FlagSet()
            .add("PROT_READ", 1).add("PROT_WRITE", 2).add("PROT_EXEC", 4).add("PROT_SEM", 8)
            .add("PROT_GROWSDOWN", 0x01000000).add("PROT_GROWSUP", 0x02000000);

    static final String[] MAP_TYPES = {"0", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"};

    static final FlagSet MAP = new FlagSet()
            .add("MAP_FIXED", 0x10).add("MAP_ANONYMOUS", 0x20).add("MAP_32BIT", 0x40)
            .add("MAP_NORESERVE", 0x4000).add("MAP_POPULATE", 0x8000).add("MAP_NONBLOCK", 0x10000)
            .add("MAP_GROWSDOWN", 0x100).add("MAP_DENYWRITE", 0x800).add("MAP_EXECUTABLE", 0x1000)
            .add("MAP_LOCKED", 0x2000).add("MAP_STACK", 0x20000).add("MAP_HUGETLB", 0x40000)
            .add("MAP_SYNC", 0x80000).add("MAP_FIXED_NOREPLACE", 0x100000).add("MAP_UNINITIALIZED", 0x4000000);

    static final FlagSet CLONE = new FlagSet()
            .add("CLONE_VM", 0x100).add("CLONE_FS", 0x200).add("CLONE_FILES", 0x400).add("CLONE_SIGHAND", 0x800)
            .add("CLONE_PIDFD", 0x1000).add("CLONE_PTRACE", 0x2000).add("CLONE_VFORK", 0x4000)
            .add("CLONE_PARENT", 0x8000).add("CLONE_THREAD", 0x10000).add("CLONE_NEWNS", 0x20000)
            .add("CLONE_SYSVSEM", 0x40000).add("CLONE_SETTLS", 0x80000).add("CLONE_PARENT_SETTID", 0x100000)
            .add("CLONE_CHILD_CLEARTID", 0x200000).add("CLONE_UNTRACED", 0x800000)
            .add("CLONE_CHILD_SETTID", 0x1000000).add("CLONE_NEWCGROUP", 0x2000000).add("CLONE_NEWUTS", 0x4000000)
            .add("CLONE_NEWIPC", 0x8000000).add("CLONE_NEWUSER", 0x10000000).add("CLONE_NEWPID", 0x20000000)
            .add("CLONE_NEWNET", 0x40000000).add("CLONE_IO", 0x80000000L)
            .add("CLONE_CLEAR_SIGHAND", 0x100000000L).add("CLONE_INTO_CGROUP", 0x200000000L);
    static final long CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
            CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

    static final FlagSet WAIT = new FlagSet()
            .add("WNOHANG", 1).add("WSTOPPED", 2).add("WEXITED", 4).add("WCONTINUED", 8)
            .add("WNOWAIT", 0x1000000).add("__WCLONE", 0x80000000L).add("__WALL", 0x40000000)
            .add("__WNOTHREAD", 0x20000000);

    static final FlagSet ACCESS = new FlagSet().add("R_OK", 4).add("W_OK", 2).add("X_OK", 1);

    static final FlagSet AT = new FlagSet()
            .add("AT_SYMLINK_NOFOLLOW", 0x100).add("AT_REMOVEDIR", 0x200).add("AT_SYMLINK_FOLLOW", 0x400)
            .add("AT_NO_AUTOMOUNT", 0x800).add("AT_EMPTY_PATH", 0x1000).add("AT_STATX_FORCE_SYNC", 0x2000)
            .add("AT_STATX_DONT_SYNC", 0x4000).add("AT_RECURSIVE", 0x8000);

    static final FlagSet SA = new FlagSet()
            .add("SA_RESTORER", 0x04000000).add("SA_ONSTACK", 0x08000000).add("SA_RESTART", 0x10000000)
            .add("SA_NODEFER", 0x40000000).add("SA_RESETHAND", 0x80000000L).add("SA_SIGINFO", 4)
            .add("SA_NOCLDSTOP", 1).add("SA_NOCLDWAIT", 2);
    static final long SA_RESTORER = 0x04000000;

    static final FlagSet GRND = new FlagSet().add("GRND_NONBLOCK", 1).add("GRND_RANDOM", 2).add("GRND_INSECURE", 4);

    static final String[] WHENCE = {"SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"};
    static final String[] SIG_HOW = {"SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"};
    static final String[] RLIMITS = {"RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE",
        "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS",
        "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME"};
    static final String[] CLOCKS = {"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
        "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
        "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", null, "CLOCK_TAI"};
    static final String[] FUTEX_OPS = {"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE",
        "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET",
        "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"};
    static final String[] MADVISE = {"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED",
        "MADV_DONTNEED", null, null, null, "MADV_FREE", "MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK",
        "MADV_MERGEABLE", "MADV_UNMERGEABLE", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP",
        "MADV_WIPEONFORK", "MADV_KEEPONFORK", "MADV_COLD", "MADV_PAGEOUT", "MADV_POPULATE_READ",
        "MADV_POPULATE_WRITE", "MADV_DONTNEED_LOCKED", "MADV_COLLAPSE"};
    static final Map<Long, String> FCNTL = Map.ofEntries(Map.entry(0L, "F_DUPFD"), Map.entry(1L, "F_GETFD"),
            Map.entry(2L, "F_SETFD"), Map.entry(3L, "F_GETFL"), Map.entry(4L, "F_SETFL"), Map.entry(5L, "F_GETLK"),
            Map.entry(6L, "F_SETLK"), Map.entry(7L, "F_SETLKW"), Map.entry(8L, "F_SETOWN"), Map.entry(9L, "F_GETOWN"),
            Map.entry(10L, "F_SETSIG"), Map.entry(11L, "F_GETSIG"), Map.entry(1030L, "F_DUPFD_CLOEXEC"),
            Map.entry(1031L, "F_SETPIPE_SZ"), Map.entry(1032L, "F_GETPIPE_SZ"), Map.entry(1033L, "F_ADD_SEALS"),
            Map.entry(1034L, "F_GET_SEALS"), Map.entry(36L, "F_OFD_GETLK"), Map.entry(37L, "F_OFD_SETLK"),
            Map.entry(38L, "F_OFD_SETLKW"));
    static final long CLONE_PIDFD = 0x1000, CLONE_INTO_CGROUP = 0x200000000L;

    static final Map<Long, String> ARCH_PRCTL = Map.of(0x1001L, "ARCH_SET_GS", 0x1002L, "ARCH_SET_FS",
            0x1003L, "ARCH_GET_FS", 0x1004L, "ARCH_GET_GS", 0x1011L, "ARCH_GET_CPUID", 0x1012L, "ARCH_SET_CPUID",
            0x3001L, "ARCH_CET_STATUS");

    /** File type names of st_mode, by {@code (mode & S_IFMT) >> 12}. */
    static final String[] FILE_TYPES = {null, "S_IFIFO", "S_IFCHR", null, "S_IFDIR", null, "S_IFBLK", null,
        "S_IFREG", null, "S_IFLNK", null, "S_IFSOCK"};

    /** strace's name of a signal: SIGRTMIN for 32, SIGRT_n above (the kernel's numbering, not glibc's). */
    static String signal(int sig) {
        if (sig == 32) {
            return "SIGRTMIN";
        }
        if (sig > 32 && sig <= 64) {
            return "SIGRT_" + (sig - 32);
        }
        return dev.multitrace.core.LinuxNames.signal(sig);
    }

    /** A constant from a table, else the number followed by a C comment like strace's. */
    static String lookup(String[] table, long value, String unknownComment) {
        if (value >= 0 && value < table.length && table[(int) value] != null) {
            return table[(int) value];
        }
        return "0x" + Long.toHexString(value) + " /* " + unknownComment + " */";
    }
}
