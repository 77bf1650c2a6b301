// The benchmark's C baseline: each workload's tracer loop written directly on ptrace, with
// nothing between the loop and the kernel. It is the physical limit the service is compared to.
//
//   ptrace_baseline syscall    PROG...            PTRACE_SYSCALL loop, GET_SYSCALL_INFO at each stop
//   ptrace_baseline breakpoint ADDR PROG...       int3 at ADDR; per hit: rewind pc, restore the byte,
//                                                  single-step, re-insert, continue
//   ptrace_baseline step       ADDR N PROG...     run to ADDR, then N x (SINGLESTEP, waitpid);
//                                                  prints the N steps' nanoseconds
//   ptrace_baseline watch      FROM TO VAR PROG...  software watchpoint: run to FROM, then
//                                                  SINGLESTEP + process_vm_readv of the 8 bytes at
//                                                  VAR + compare, until the pc is TO; continue to
//                                                  the end; prints "changes N"
//   ptrace_baseline stopall    REPS PROG...       PROG prints "ready"; per rep: SEIZE every thread,
//                                                  INTERRUPT each, waitpid per tid, DETACH each;
//                                                  prints each rep's nanoseconds and CPU nanoseconds
//   ptrace_baseline memory     MIB REPS PROG...   PROG prints an address; per rep: one
//                                                  process_vm_readv of MIB MiB; prints nanoseconds
//
// syscall, breakpoint and step also print "cpu NS": this tracer's own CPU time (getrusage SELF).
// The workload programs time their own loops (syscall, breakpoint) and write to a file, so the
// service, this program, gdb and strace are all measured by the same clock.
// cflags: -O2
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void check(long r, const char *what) {
    if (r == -1) {
        die(what);
    }
}

/* Forks PROG stopped at its exec, traced with SEIZE like the service does. */
static pid_t launch_traced(char **argv) {
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGSTOP);
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    check(waitpid(pid, &st, WUNTRACED), "waitpid");
    check(ptrace(PTRACE_SEIZE, pid, 0,
                 PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL), "seize");
    kill(pid, SIGCONT);
    for (;;) { // run to the exec stop
        check(waitpid(pid, &st, __WALL), "waitpid");
        if (WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_EXEC) {
            return pid;
        }
        if (!WIFSTOPPED(st)) {
            fprintf(stderr, "%s did not start\n", argv[0]);
            exit(1);
        }
        int sig = WSTOPSIG(st);
        check(ptrace(PTRACE_CONT, pid, 0, (st >> 16) == 0 && sig != SIGSTOP && sig != SIGCONT ? sig : 0), "cont");
    }
}

/* Forks PROG untraced with its stdout on a pipe; returns its first output line in buf. */
static pid_t launch_untraced(char **argv, char *buf, size_t len) {
    int fds[2];
    check(pipe(fds), "pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    if (!fgets(buf, (int) len, f)) {
        fprintf(stderr, "%s printed nothing\n", argv[0]);
        exit(1);
    }
    fclose(f);
    return pid;
}

/* This tracer's own CPU time (user + system, not the tracee's), in nanoseconds. */
static long long cpu_ns(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL
           + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static void print_cpu(void) {
    printf("cpu %lld\n", cpu_ns());
}

static int wait_exit(pid_t pid, int st) {
    print_cpu();
    if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
        fprintf(stderr, "workload %d exited with %d\n", pid, WEXITSTATUS(st));
        return 1;
    }
    return 0;
}

static int bench_syscall(char **prog) {
    pid_t pid = launch_traced(prog);
    struct __ptrace_syscall_info info;
    int st;
    check(ptrace(PTRACE_SYSCALL, pid, 0, 0), "syscall");
    for (;;) {
        check(waitpid(pid, &st, __WALL), "waitpid");
        if (!WIFSTOPPED(st)) {
            return wait_exit(pid, st);
        }
        int sig = 0;
        if (WSTOPSIG(st) == (SIGTRAP | 0x80)) {
            check(ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof info, &info), "get_syscall_info");
        } else if ((st >> 16) == 0) {
            sig = WSTOPSIG(st);
        }
        check(ptrace(PTRACE_SYSCALL, pid, 0, sig), "syscall");
    }
}

static int bench_breakpoint(unsigned long addr, char **prog) {
    pid_t pid = launch_traced(prog);
    errno = 0;
    long orig = ptrace(PTRACE_PEEKTEXT, pid, addr, 0);
    if (errno) {
        die("peektext");
    }
    long trapped = (orig & ~0xffL) | 0xcc;
    check(ptrace(PTRACE_POKETEXT, pid, addr, trapped), "poketext");
    int st;
    check(ptrace(PTRACE_CONT, pid, 0, 0), "cont");
    for (;;) {
        check(waitpid(pid, &st, __WALL), "waitpid");
        if (!WIFSTOPPED(st)) {
            return wait_exit(pid, st);
        }
        int sig = WSTOPSIG(st);
        if (sig == SIGTRAP && (st >> 16) == 0) {
            struct user_regs_struct regs;
            check(ptrace(PTRACE_GETREGS, pid, 0, &regs), "getregs");
            if (regs.rip - 1 == addr) {
                regs.rip = addr;
                check(ptrace(PTRACE_SETREGS, pid, 0, &regs), "setregs");
                check(ptrace(PTRACE_POKETEXT, pid, addr, orig), "poketext");
                check(ptrace(PTRACE_SINGLESTEP, pid, 0, 0), "singlestep");
                check(waitpid(pid, &st, __WALL), "waitpid");
                if (!WIFSTOPPED(st)) {
                    return wait_exit(pid, st);
                }
                check(ptrace(PTRACE_POKETEXT, pid, addr, trapped), "poketext");
            }
            sig = 0;
        } else if ((st >> 16) != 0) {
            sig = 0;
        }
        check(ptrace(PTRACE_CONT, pid, 0, sig), "cont");
    }
}

/* Runs to ADDR with a temporary int3; the pc is rewound onto ADDR. */
static void run_to(pid_t pid, unsigned long addr) {
    errno = 0;
    long orig = ptrace(PTRACE_PEEKTEXT, pid, addr, 0);
    if (errno) {
        die("peektext");
    }
    check(ptrace(PTRACE_POKETEXT, pid, addr, (orig & ~0xffL) | 0xcc), "poketext");
    int st;
    check(ptrace(PTRACE_CONT, pid, 0, 0), "cont");
    check(waitpid(pid, &st, __WALL), "waitpid");
    if (!WIFSTOPPED(st) || WSTOPSIG(st) != SIGTRAP) {
        fprintf(stderr, "run_to: no breakpoint stop (status 0x%x)\n", st);
        exit(1);
    }
    struct user_regs_struct regs;
    check(ptrace(PTRACE_GETREGS, pid, 0, &regs), "getregs");
    regs.rip = addr;
    check(ptrace(PTRACE_SETREGS, pid, 0, &regs), "setregs");
    check(ptrace(PTRACE_POKETEXT, pid, addr, orig), "poketext");
}

static int bench_step(unsigned long addr, long n, char **prog) {
    pid_t pid = launch_traced(prog);
    run_to(pid, addr);
    int st;
    long long t0 = now_ns();
    for (long i = 0; i < n; i++) {
        check(ptrace(PTRACE_SINGLESTEP, pid, 0, 0), "singlestep");
        check(waitpid(pid, &st, __WALL), "waitpid");
    }
    long long t1 = now_ns();
    printf("%lld\n", t1 - t0);
    print_cpu();
    kill(pid, SIGKILL);
    waitpid(pid, &st, __WALL);
    return 0;
}

static int bench_watch(unsigned long from, unsigned long to, unsigned long var, char **prog) {
    pid_t pid = launch_traced(prog);
    run_to(pid, from);
    long last, now;
    struct iovec local = {&now, sizeof now}, remote = {(void *)var, sizeof now};
    local.iov_base = &last;
    if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != sizeof last) {
        die("process_vm_readv");
    }
    local.iov_base = &now;
    long changes = 0;
    int st;
    for (;;) {
        check(ptrace(PTRACE_SINGLESTEP, pid, 0, 0), "singlestep");
        check(waitpid(pid, &st, __WALL), "waitpid");
        if (!WIFSTOPPED(st)) {
            return wait_exit(pid, st);
        }
        if (process_vm_readv(pid, &local, 1, &remote, 1, 0) != sizeof now) {
            die("process_vm_readv");
        }
        if (now != last) {
            last = now;
            changes++;
        }
        struct user_regs_struct regs;
        check(ptrace(PTRACE_GETREGS, pid, 0, &regs), "getregs");
        if (regs.rip == to) {
            break;
        }
    }
    printf("changes %ld\n", changes);
    check(ptrace(PTRACE_CONT, pid, 0, 0), "cont");
    check(waitpid(pid, &st, __WALL), "waitpid");
    return wait_exit(pid, st);
}

static int bench_stopall(int reps, char **prog) {
    char line[64];
    pid_t pid = launch_untraced(prog, line, sizeof line);
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/task", pid);
    int cap = 4096;
    pid_t *tids = malloc(cap * sizeof *tids);
    for (int r = 0; r < reps; r++) {
        long long c0 = cpu_ns();
        long long t0 = now_ns();
        DIR *d = opendir(dir);
        if (!d) {
            die(dir);
        }
        int n = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL && n < cap) {
            if (e->d_name[0] != '.') {
                tids[n++] = atoi(e->d_name);
            }
        }
        closedir(d);
        for (int i = 0; i < n; i++) {
            check(ptrace(PTRACE_SEIZE, tids[i], 0, PTRACE_O_TRACECLONE), "seize");
        }
        for (int i = 0; i < n; i++) {
            check(ptrace(PTRACE_INTERRUPT, tids[i], 0, 0), "interrupt");
        }
        for (int i = 0; i < n; i++) {
            int st;
            check(waitpid(tids[i], &st, __WALL), "waitpid");
        }
        for (int i = 0; i < n; i++) {
            check(ptrace(PTRACE_DETACH, tids[i], 0, 0), "detach");
        }
        long long t1 = now_ns();
        printf("%lld %lld\n", t1 - t0, cpu_ns() - c0);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 0;
}

static int bench_memory(long mib, int reps, char **prog) {
    char line[64];
    pid_t pid = launch_untraced(prog, line, sizeof line);
    unsigned long addr = strtoul(line, NULL, 16);
    size_t len = (size_t) mib << 20;
    char *buf = malloc(len);
    memset(buf, 0, len); // resident before timing, as the service's reused buffer is
    for (int r = 0; r < reps; r++) {
        struct iovec local = {buf, len};
        struct iovec remote = {(void *) addr, len};
        long long t0 = now_ns();
        ssize_t got = process_vm_readv(pid, &local, 1, &remote, 1, 0);
        long long t1 = now_ns();
        if (got != (ssize_t) len) {
            die("process_vm_readv");
        }
        printf("%lld\n", t1 - t0);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 3 && strcmp(argv[1], "syscall") == 0) {
        return bench_syscall(argv + 2);
    }
    if (argc >= 4 && strcmp(argv[1], "breakpoint") == 0) {
        return bench_breakpoint(strtoul(argv[2], NULL, 0), argv + 3);
    }
    if (argc >= 6 && strcmp(argv[1], "watch") == 0) {
        return bench_watch(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0), strtoul(argv[4], NULL, 0), argv + 5);
    }
    if (argc >= 5 && strcmp(argv[1], "step") == 0) {
        return bench_step(strtoul(argv[2], NULL, 0), atol(argv[3]), argv + 4);
    }
    if (argc >= 4 && strcmp(argv[1], "stopall") == 0) {
        return bench_stopall(atoi(argv[2]), argv + 3);
    }
    if (argc >= 5 && strcmp(argv[1], "memory") == 0) {
        return bench_memory(atol(argv[2]), atoi(argv[3]), argv + 4);
    }
    fprintf(stderr, "usage: ptrace_baseline syscall|breakpoint|step|watch|stopall|memory ARGS... PROG [ARGS...]\n");
    return 2;
}
