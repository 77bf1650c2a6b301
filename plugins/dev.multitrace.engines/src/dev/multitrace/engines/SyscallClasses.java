package dev.multitrace.engines;

import java.util.Map;
import java.util.Set;

/** strace's syscall classes for {@code -e trace=%file} and the like (x86-64 members). */
final class SyscallClasses {

    private SyscallClasses() {
    }

    private static Set<String> words(String s) {
        return Set.of(s.trim().split("\\s+"));
    }

    private static final Set<String> FILE = words("""
            open creat openat openat2 open_by_handle_at stat lstat newfstatat statx access faccessat faccessat2
            execve execveat truncate chdir chroot rename renameat renameat2 mkdir mkdirat rmdir link linkat
            unlink unlinkat symlink symlinkat readlink readlinkat chmod fchmodat fchmodat2 chown lchown fchownat
            utime utimes futimesat utimensat mknod mknodat statfs uselib swapon swapoff acct mount umount2
            pivot_root setxattr lsetxattr getxattr lgetxattr listxattr llistxattr removexattr lremovexattr
            quotactl name_to_handle_at inotify_add_watch fanotify_mark open_tree move_mount fspick
            mount_setattr getcwd""");
    private static final Set<String> PROCESS = words("""
            clone clone3 fork vfork execve execveat exit exit_group wait4 waitid kill tkill tgkill
            rt_sigqueueinfo rt_tgsigqueueinfo pidfd_open pidfd_send_signal unshare setns""");
    private static final Set<String> SIGNAL = words("""
            rt_sigaction rt_sigprocmask rt_sigreturn rt_sigpending rt_sigtimedwait rt_sigqueueinfo
            rt_tgsigqueueinfo rt_sigsuspend sigaltstack kill tkill tgkill pause signalfd signalfd4
            pidfd_send_signal""");
    private static final Set<String> NETWORK = words("""
            socket socketpair bind connect listen accept accept4 getsockname getpeername sendto recvfrom
            sendmsg recvmsg sendmmsg recvmmsg shutdown setsockopt getsockopt""");
    private static final Set<String> IPC = words("""
            shmget shmat shmctl shmdt semget semop semctl semtimedop msgget msgsnd msgrcv msgctl""");
    private static final Set<String> DESC = words("""
            read write close fstat poll ppoll lseek mmap ioctl pread64 pwrite64 readv writev preadv pwritev
            preadv2 pwritev2 pipe pipe2 select pselect6 dup dup2 dup3 fcntl flock fsync fdatasync ftruncate
            getdents getdents64 fchdir fchmod fchown fstatfs epoll_create epoll_create1 epoll_ctl epoll_wait
            epoll_pwait epoll_pwait2 eventfd eventfd2 signalfd signalfd4 timerfd_create timerfd_settime
            timerfd_gettime inotify_init inotify_init1 inotify_add_watch inotify_rm_watch fanotify_init
            fanotify_mark openat open creat newfstatat statx faccessat faccessat2 mkdirat mknodat fchownat
            futimesat unlinkat renameat renameat2 linkat symlinkat readlinkat fchmodat fchmodat2 utimensat
            execveat sendfile splice tee vmsplice copy_file_range close_range readahead fadvise64 fallocate
            sync_file_range syncfs memfd_create fgetxattr fsetxattr flistxattr fremovexattr io_uring_setup
            io_uring_enter io_uring_register pidfd_open pidfd_getfd socket bind connect listen accept accept4
            getsockname getpeername socketpair sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg shutdown
            setsockopt getsockopt name_to_handle_at open_by_handle_at openat2 open_tree move_mount""");
    private static final Set<String> MEMORY = words("""
            brk mmap munmap mprotect mremap msync mincore madvise mlock mlock2 munlock mlockall munlockall
            remap_file_pages mbind set_mempolicy get_mempolicy migrate_pages move_pages pkey_mprotect
            process_madvise""");
    private static final Set<String> CREDS = words("""
            getuid setuid getgid setgid geteuid getegid setreuid setregid getgroups setgroups setresuid
            getresuid setresgid getresgid setfsuid setfsgid capget capset prctl""");
    private static final Set<String> CLOCK = words("""
            clock_gettime clock_settime clock_getres clock_adjtime adjtimex gettimeofday settimeofday time""");

    private static final Map<String, Set<String>> CLASSES = Map.ofEntries(
            Map.entry("file", FILE), Map.entry("process", PROCESS), Map.entry("signal", SIGNAL),
            Map.entry("network", NETWORK), Map.entry("net", NETWORK), Map.entry("ipc", IPC),
            Map.entry("desc", DESC), Map.entry("memory", MEMORY), Map.entry("creds", CREDS),
            Map.entry("clock", CLOCK), Map.entry("stat", Set.of("stat")), Map.entry("lstat", Set.of("lstat")),
            Map.entry("fstat", Set.of("fstat", "newfstatat")),
            Map.entry("%stat", Set.of("stat", "lstat", "fstat", "newfstatat", "statx")),
            Map.entry("statfs", Set.of("statfs")), Map.entry("fstatfs", Set.of("fstatfs")),
            Map.entry("%statfs", Set.of("statfs", "fstatfs", "ustat")));

    /** The members of {@code %name} (without the %), or null if there is no such class. */
    static Set<String> members(String name) {
        return CLASSES.get(name);
    }

    static Set<String> names() {
        return CLASSES.keySet();
    }
}
