package dev.multitrace.engines;

import java.util.HashMap;
import java.util.Map;

/**
 * How the syscall tracer prints each syscall's arguments: one line per syscall, its argument
 * kinds, and an optional return kind after {@code =}. Arguments before the first one that is
 * only known at exit (a buffer the kernel fills, a struct it writes) are printed at entry, the
 * rest at exit, as strace does. Syscalls not listed print six raw arguments in hex.
 * <p>
 * Kinds: {@code d} int, {@code D} long, {@code u} unsigned, {@code x} hex, {@code p} pointer,
 * {@code f} fd, {@code F} dirfd (AT_FDCWD), {@code s} path, {@code S} string (cut at 32 bytes),
 * {@code b} buffer written by the caller (length: next argument), {@code B} buffer filled by the
 * kernel (length: return value; {@code Bx} the same in hex, as strace prints random bytes),
 * {@code o} octal mode, {@code O} open flags, {@code Of} O_* flags without an access mode
 * (pipe2, dup3), {@code m} the mode of open/openat (only with O_CREAT or O_TMPFILE), {@code P}
 * mmap protection, {@code M} mmap flags, {@code adv} madvise advice, {@code A} access mode,
 * {@code W} wait options, {@code ws} wait status (out), {@code at} AT_* flags, {@code wh} lseek
 * whence, {@code sig} signal, {@code how} sigprocmask how, {@code sm}/{@code smo} signal set
 * (in/out), {@code sa}/{@code sao} sigaction (in/out), {@code st} struct stat (out), {@code pf}
 * pipe fds (out), {@code rl} resource, {@code rli}/{@code rlo} rlimit (in/out), {@code ts}
 * timespec, {@code clk} clock, {@code fx} futex op, {@code ap} arch_prctl code, {@code gr}
 * getrandom flags, {@code av} argv array, {@code ev} environment, {@code io} ioctl request,
 * {@code fadv} fadvise advice, {@code af} address family, {@code stype} socket type,
 * {@code sock} sockaddr, {@code de} directory entries (out), {@code sxat}/{@code sxm}/{@code stx}
 * statx flags, mask and result, {@code proto} socket protocol, {@code pfd} pollfd array,
 * {@code msg} MSG_* flags, {@code uts} struct utsname (out); return kinds {@code x} hex,
 * {@code o} octal, {@code ?} never returns. clone, clone3, fcntl, futex, rt_sigreturn and
 * restart_syscall have their own printers.
 */
final class SyscallSignatures {

    /** Argument kinds known only after the call. */
    static boolean isOut(String kind) {
        return switch (kind) {
            case "B", "Bx", "ws", "st", "stx", "pf", "de", "rlo", "sao", "smo", "uts" -> true;
            default -> false;
        };
    }

    record Signature(String[] args, String ret) {
    }

    private static final String TABLE = """
            read f,B,u
            write f,b,u
            open s,O,m
            close f
            stat s,st
            fstat f,st
            lstat s,st
            poll pfd,u,d
            lseek f,D,wh
            mmap p,u,P,M,f,x =x
            mprotect p,u,P
            munmap p,u
            brk p =x
            rt_sigaction sig,sa,sao,u
            rt_sigprocmask how,sm,smo,u
            ioctl f,io,p
            pread64 f,B,u,D
            pwrite64 f,b,u,D
            readv f,p,u
            writev f,p,u
            access s,A
            pipe pf
            sched_yield
            mremap p,u,u,x,p =x
            msync p,u,x
            madvise p,u,adv
            dup f
            dup2 f,f
            pause
            nanosleep ts,p
            alarm u
            getpid
            socket af,stype,proto
            connect f,sock,u
            accept f,p,p
            sendto f,b,u,msg,sock,d
            recvfrom f,B,u,msg,p,p
            shutdown f,d
            bind f,sock,u
            listen f,d
            fork
            vfork
            execve s,av,ev
            exit d =?
            wait4 d,ws,W,p
            kill d,sig
            uname uts
            fcntl f,d,x
            flock f,d
            fsync f
            fdatasync f
            truncate s,D
            ftruncate f,D
            getdents64 f,de,u
            getcwd B,u
            chdir s
            fchdir f
            rename s,s
            mkdir s,o
            rmdir s
            creat s,o
            link s,s
            unlink s
            symlink s,s
            readlink s,B,u
            chmod s,o
            fchmod f,o
            chown s,d,d
            fchown f,d,d
            umask o =o
            gettimeofday p,p
            getrlimit rl,rlo
            getuid
            getgid
            setuid d
            setgid d
            geteuid
            getegid
            setpgid d,d
            getppid
            getpgrp
            setsid
            gettid
            tkill d,sig
            time p
            futex p,fx,d,p,p,d
            set_tid_address p
            clock_gettime clk,p
            clock_nanosleep clk,d,ts,p
            exit_group d =?
            tgkill d,d,sig
            openat F,s,O,m
            mkdirat F,s,o
            newfstatat F,s,st,at
            unlinkat F,s,at
            readlinkat F,s,B,u
            faccessat F,s,A
            faccessat2 F,s,A,at
            pipe2 pf,Of
            dup3 f,f,Of
            prlimit64 d,rl,rli,rlo
            getrandom Bx,u,gr
            set_robust_list p,u
            rseq p,x,d,x
            arch_prctl ap,p
            sched_getaffinity d,u,p
            statx F,s,sxat,sxm,stx
            close_range f,f,x
            rt_sigreturn
            restart_syscall
            rt_sigsuspend sm,u
            rt_sigpending smo,u
            sigaltstack p,p
            select d,p,p,p,p
            pselect6 d,p,p,p,p,p
            ppoll p,u,p,p,u
            epoll_create1 x
            eventfd2 u,x
            getdents f,p,u
            getpgid d
            getsid d
            setresuid d,d,d
            setresgid d,d,d
            getresuid p,p,p
            getresgid p,p,p
            sched_setaffinity d,u,p
            sysinfo p
            times p
            getitimer d,p
            setitimer d,p,p
            getrusage d,p
            prctl d,x,x,x,x
            membarrier x,x,d
            pidfd_open d,x
            waitid d,d,p,W,p
            mincore p,u,p
            mlock p,u
            munlock p,u
            mlockall x
            munlockall
            sync
            syncfs f
            fadvise64 f,D,u,fadv
            fallocate f,x,D,D
            sendfile f,f,p,u
            socketpair af,stype,d,pf
            sendmsg f,p,msg
            recvmsg f,p,msg
            getsockname f,p,p
            getpeername f,p,p
            setsockopt f,d,d,p,d
            getsockopt f,d,d,p,p
            accept4 f,p,p,x
            memfd_create S,x
            inotify_init1 x
            timerfd_create clk,x
            signalfd4 f,sm,u,x
            utimensat F,s,p,at
            renameat F,s,F,s
            renameat2 F,s,F,s,x
            linkat F,s,F,s,at
            symlinkat s,F,s
            fchmodat F,s,o
            fchownat F,s,d,d,at
            mknod s,o,x
            mknodat F,s,o,x
            statfs s,p
            fstatfs f,p
            chroot s
            sethostname S,u
            clock_getres clk,p
            getxattr s,S,B,u
            lgetxattr s,S,B,u
            fgetxattr f,S,B,u
            setxattr s,S,b,u,x
            lsetxattr s,S,b,u,x
            listxattr s,p,u
            llistxattr s,p,u
            """;

    private static final Map<String, Signature> BY_NAME = new HashMap<>();

    static {
        for (String line : TABLE.split("\n")) {
            String[] w = line.strip().split(" ");
            String[] args = w.length > 1 && !w[1].startsWith("=") ? w[1].split(",") : new String[0];
            String ret = w[w.length - 1].startsWith("=") ? w[w.length - 1].substring(1) : "d";
            BY_NAME.put(w[0], new Signature(args, ret));
        }
    }

    private SyscallSignatures() {
    }

    /** The signature of a syscall, or null if the tracer does not decode it. */
    static Signature of(String name) {
        return BY_NAME.get(name);
    }
}
