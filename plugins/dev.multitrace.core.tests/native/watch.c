// cflags: -no-pie
/*
 * Targets for hardware watchpoints. Every access to `counter` is one labelled instruction:
 * write_insn (a store, after_write follows it) and read_insn (a load, after_read follows it);
 * hw_target is a function for execute breakpoints. Modes (argv[1]):
 *   run W R E   W writes, R reads, E calls of hw_target, then one read to check;
 *               exits 0 if the sums are right
 *   thread W    a thread created after start makes W writes; main makes none
 *   wait W      reads a line from stdin first, then makes W writes
 *   exec W      one write, then execs itself in mode "run W 0 0"
 *   fork W      a fork child makes W writes and exits 0; the parent makes none and exits
 *               with the child's status
 *   phases W T  starts T threads at once; twice: reads a line from stdin, lets each thread
 *               make W writes, prints "phase N done" when all are done; exits 0
 *   locked W T  T threads each make W writes of counter + 1 under a mutex (every write
 *               changes the value); exits 0 if counter == W * T
 *   readin W    W times read(2)s 8 bytes from stdin into counter (writes by the kernel);
 *               exits 0 if it got them all
 *   segv W      W writes around a SIGSEGV of its own that its handler survives (siglongjmp);
 *               exits 0 if the handler ran
 *   leader W    main starts a thread and ends itself (pthread_exit: the leader stays a zombie
 *               whose memory is gone); the thread waits until it is one, makes W writes and
 *               exits the process (exit_group), 0 if counter == W
 */
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

volatile long counter;
static long calls;

__attribute__((noinline, noipa)) void bump(long v) {
    __asm__ volatile(
        ".globl write_insn\n"
        "write_insn:\n\t"
        "movq %1, %0\n"
        ".globl after_write\n"
        "after_write:\n"
        : "=m"(counter) : "r"(v) : "memory");
}

__attribute__((noinline, noipa)) long peek(void) {
    long v;
    __asm__ volatile(
        ".globl read_insn\n"
        "read_insn:\n\t"
        "movq %1, %0\n"
        ".globl after_read\n"
        "after_read:\n"
        : "=r"(v) : "m"(counter) : "memory");
    return v;
}

__attribute__((noinline, noipa)) void hw_target(void) {
    calls++;
}

static long writes(long n) {
    long sum = 0;
    for (long i = 1; i <= n; i++) {
        bump(i);
        sum += peek() == i;
    }
    return sum;
}

static void *thread_main(void *arg) {
    long n = *(long *)arg;
    for (long i = 1; i <= n; i++)
        bump(i);
    return 0;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int phase, finished;
static long per_thread;

static void *phase_thread(void *arg) {
    (void)arg;
    for (int mine = 1; mine <= 2; mine++) {
        pthread_mutex_lock(&lock);
        while (phase < mine)
            pthread_cond_wait(&changed, &lock);
        pthread_mutex_unlock(&lock);
        for (long i = 1; i <= per_thread; i++)
            bump(i);
        pthread_mutex_lock(&lock);
        finished++;
        pthread_cond_broadcast(&changed);
        pthread_mutex_unlock(&lock);
    }
    return 0;
}

static int phases(long w, int threads) {
    pthread_t t[16];
    per_thread = w;
    if (threads < 1 || threads > 16)
        return 2;
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], 0, phase_thread, 0);
    char line[16];
    for (int p = 1; p <= 2; p++) {
        if (!fgets(line, sizeof line, stdin))
            return 3;
        pthread_mutex_lock(&lock);
        phase = p;
        pthread_cond_broadcast(&changed);
        while (finished < p * threads)
            pthread_cond_wait(&changed, &lock);
        pthread_mutex_unlock(&lock);
        printf("phase %d done\n", p);
        fflush(stdout);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], 0);
    return 0;
}

static long locked_writes;

static void *locked_thread(void *arg) {
    (void)arg;
    for (long i = 0; i < locked_writes; i++) {
        pthread_mutex_lock(&lock);
        bump(counter + 1);
        pthread_mutex_unlock(&lock);
    }
    return 0;
}

/* Waits until the leader is a zombie (its memory released), then writes. */
static void *after_leader(void *arg) {
    long n = *(long *)arg;
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
    for (;;) {
        int fd = open(path, O_RDONLY);
        if (fd < 0)
            break;
        ssize_t k = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (k <= 0)
            break;
        buf[k] = 0;
        char *s = strrchr(buf, ')');
        if (s && s[1] == ' ' && (s[2] == 'Z' || s[2] == 'X'))
            break;
        usleep(1000);
    }
    for (long i = 1; i <= n; i++)
        bump(i);
    exit(counter == n ? 0 : 1);
}

static sigjmp_buf recover;
static volatile sig_atomic_t segvs;

static void on_segv(int sig) {
    (void)sig;
    segvs++;
    siglongjmp(recover, 1);
}

int main(int argc, char **argv) {
    if (argc < 3)
        return 2;
    long w = atol(argv[2]);
    if (strcmp(argv[1], "run") == 0 && argc == 5) {
        long r = atol(argv[3]), e = atol(argv[4]);
        for (long i = 1; i <= w; i++)
            bump(i);
        long got = 0;
        for (long i = 0; i < r; i++)
            got += peek();
        for (long i = 0; i < e; i++)
            hw_target();
        long last = peek(); /* the only other access: one more labelled read */
        printf("counter=%ld reads=%ld calls=%ld\n", last, got, calls);
        return last == w && got == r * w && calls == e ? 0 : 1;
    }
    if (strcmp(argv[1], "thread") == 0) {
        pthread_t t;
        pthread_create(&t, 0, thread_main, &w);
        pthread_join(t, 0);
        return counter == w ? 0 : 1;
    }
    if (strcmp(argv[1], "wait") == 0) {
        char line[16];
        if (!fgets(line, sizeof line, stdin))
            return 3;
        return writes(w) == w ? 0 : 1;
    }
    if (strcmp(argv[1], "fork") == 0) {
        pid_t child = fork();
        if (child == 0) {
            for (long i = 1; i <= w; i++)
                bump(i);
            _exit(0);
        }
        int st;
        if (waitpid(child, &st, 0) != child)
            return 5;
        return WIFEXITED(st) ? WEXITSTATUS(st) : 6;
    }
    if (strcmp(argv[1], "locked") == 0 && argc == 4) {
        int threads = atoi(argv[3]);
        pthread_t t[16];
        locked_writes = w;
        if (threads < 1 || threads > 16)
            return 2;
        for (int i = 0; i < threads; i++)
            pthread_create(&t[i], 0, locked_thread, 0);
        for (int i = 0; i < threads; i++)
            pthread_join(t[i], 0);
        return counter == w * threads ? 0 : 1;
    }
    if (strcmp(argv[1], "readin") == 0) {
        for (long i = 0; i < w; i++)
            if (read(0, (void *)&counter, sizeof counter) != sizeof counter)
                return 3;
        return 0;
    }
    if (strcmp(argv[1], "segv") == 0) {
        signal(SIGSEGV, on_segv);
        for (long i = 1; i <= w; i++) {
            bump(i);
            if (sigsetjmp(recover, 1) == 0)
                *(volatile long *)0 = i; /* the program's own fault: its handler jumps back */
        }
        return segvs == w ? 0 : 1;
    }
    if (strcmp(argv[1], "leader") == 0) {
        static long n;
        pthread_t t;
        n = w;
        pthread_create(&t, 0, after_leader, &n);
        pthread_exit(0);
    }
    if (strcmp(argv[1], "phases") == 0 && argc == 4)
        return phases(w, atoi(argv[3]));
    if (strcmp(argv[1], "exec") == 0) {
        bump(1);
        execl("/proc/self/exe", argv[0], "run", argv[2], "0", "0", (char *)0);
        return 4;
    }
    return 2;
}
