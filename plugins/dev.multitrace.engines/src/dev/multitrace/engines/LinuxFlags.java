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
    static final Map<Long, String> IOCTL = Map.ofEntries(Map.entry(0x5401L, "TCGETS"), Map.entry(0x5402L, "TCSETS"),
            Map.entry(0x5403L, "TCSETSW"), Map.entry(0x5404L, "TCSETSF"), Map.entry(0x5409L, "TCSBRK"),
            Map.entry(0x540bL, "TCFLSH"), Map.entry(0x540eL, "TIOCSCTTY"), Map.entry(0x540fL, "TIOCGPGRP"),
            Map.entry(0x5410L, "TIOCSPGRP"), Map.entry(0x5413L, "TIOCGWINSZ"), Map.entry(0x5414L, "TIOCSWINSZ"),
            Map.entry(0x541bL, "FIONREAD"), Map.entry(0x5421L, "FIONBIO"), Map.entry(0x5422L, "TIOCNOTTY"),
            Map.entry(0x5450L, "FIONCLEX"), Map.entry(0x5451L, "FIOCLEX"), Map.entry(0x5452L, "FIOASYNC"),
            Map.entry(0x80045430L, "TIOCGPTN"), Map.entry(0x40045431L, "TIOCSPTLCK"), Map.entry(0x5429L, "TIOCGSID"));
    static final String[] FADVISE = {"POSIX_FADV_NORMAL", "POSIX_FADV_RANDOM", "POSIX_FADV_SEQUENTIAL",
        "POSIX_FADV_WILLNEED", "POSIX_FADV_DONTNEED", "POSIX_FADV_NOREUSE"};
    static final String[] ADDRESS_FAMILIES = {"AF_UNSPEC", "AF_UNIX", "AF_INET", "AF_AX25", "AF_IPX",
        "AF_APPLETALK", "AF_NETROM", "AF_BRIDGE", "AF_ATMPVC", "AF_X25", "AF_INET6", "AF_ROSE", "AF_DECnet",
        "AF_NETBEUI", "AF_SECURITY", "AF_KEY", "AF_NETLINK", "AF_PACKET"};
    static final String[] SOCKET_TYPES = {null, "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_RDM",
        "SOCK_SEQPACKET", "SOCK_DCCP", null, null, null, "SOCK_PACKET"};
    static final FlagSet SOCKET_FLAGS = new FlagSet().add("SOCK_CLOEXEC", 02000000).add("SOCK_NONBLOCK", 04000);
    static final FlagSet STATX_MASK = new FlagSet()
            .add("STATX_BASIC_STATS", 0x7ff).add("STATX_TYPE", 1).add("STATX_MODE", 2).add("STATX_NLINK", 4)
            .add("STATX_UID", 8).add("STATX_GID", 0x10).add("STATX_ATIME", 0x20).add("STATX_MTIME", 0x40)
            .add("STATX_CTIME", 0x80).add("STATX_INO", 0x100).add("STATX_SIZE", 0x200).add("STATX_BLOCKS", 0x400)
            .add("STATX_BTIME", 0x800).add("STATX_MNT_ID", 0x1000).add("STATX_DIOALIGN", 0x2000)
            .add("STATX_MNT_ID_UNIQUE", 0x4000).add("STATX_SUBVOL", 0x8000).add("STATX_WRITE_ATOMIC", 0x10000);
    static final FlagSet STATX_ATTRIBUTES = new FlagSet()
            .add("STATX_ATTR_COMPRESSED", 0x4).add("STATX_ATTR_IMMUTABLE", 0x10).add("STATX_ATTR_APPEND", 0x20)
            .add("STATX_ATTR_NODUMP", 0x40).add("STATX_ATTR_ENCRYPTED", 0x800).add("STATX_ATTR_AUTOMOUNT", 0x1000)
            .add("STATX_ATTR_MOUNT_ROOT", 0x2000).add("STATX_ATTR_VERITY", 0x100000).add("STATX_ATTR_DAX", 0x200000);
    static final String[] STATX_SYNC = {"AT_STATX_SYNC_AS_STAT", "AT_STATX_FORCE_SYNC", "AT_STATX_DONT_SYNC"};
    static final FlagSet POLL = new FlagSet().add("POLLIN", 1).add("POLLPRI", 2).add("POLLOUT", 4).add("POLLERR", 8)
            .add("POLLHUP", 0x10).add("POLLNVAL", 0x20).add("POLLRDNORM", 0x40).add("POLLRDBAND", 0x80)
            .add("POLLWRNORM", 0x100).add("POLLWRBAND", 0x200).add("POLLMSG", 0x400).add("POLLRDHUP", 0x2000);
    static final FlagSet MSG = new FlagSet().add("MSG_OOB", 1).add("MSG_PEEK", 2).add("MSG_DONTROUTE", 4)
            .add("MSG_CTRUNC", 8).add("MSG_PROXY", 0x10).add("MSG_TRUNC", 0x20).add("MSG_DONTWAIT", 0x40)
            .add("MSG_EOR", 0x80).add("MSG_WAITALL", 0x100).add("MSG_FIN", 0x200).add("MSG_SYN", 0x400)
            .add("MSG_CONFIRM", 0x800).add("MSG_RST", 0x1000).add("MSG_ERRQUEUE", 0x2000).add("MSG_NOSIGNAL", 0x4000)
            .add("MSG_MORE", 0x8000).add("MSG_WAITFORONE", 0x10000).add("MSG_FASTOPEN", 0x20000000)
            .add("MSG_CMSG_CLOEXEC", 0x40000000);
    static final Map<Long, String> IP_PROTOCOLS = Map.of(0L, "IPPROTO_IP", 1L, "IPPROTO_ICMP", 6L, "IPPROTO_TCP",
            17L, "IPPROTO_UDP", 58L, "IPPROTO_ICMPV6", 255L, "IPPROTO_RAW");
    /** The set-id and sticky bits of a mode, printed by name before the permission bits. */
    static final FlagSet MODE_SPECIAL = new FlagSet().add("S_ISUID", 04000).add("S_ISGID", 02000).add("S_ISVTX", 01000);
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
        return dev.multitrace.core.Signals.name(sig);
    }

    /** A constant from a table, else the number followed by a C comment like strace's. */
    static String lookup(String[] table, long value, String unknownComment) {
        if (value >= 0 && value < table.length && table[(int) value] != null) {
            return table[(int) value];
        }
        return "0x" + Long.toHexString(value) + " /* " + unknownComment + " */";
    }
}
