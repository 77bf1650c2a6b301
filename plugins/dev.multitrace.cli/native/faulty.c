// cflags: -no-pie
/*
 * The fault campaign's program: faulty THREADS FORKS, or faulty child.
 *
 * THREADS threads (main included) call hit() and getppid() in a loop until something ends the
 * process. The last thread started (main when THREADS is 1) also polls stdin: each byte is a
 * fault to commit from that thread: 'x' exit_group(3), 'e' execve("/bin/true"), 's' a store
 * through a null pointer (SIGSEGV). FORKS 1: main forks one child that calls hit() 100 times
 * (an int3 left in its copy of the text would kill it), prints "F <pid>" and waits to be
 * killed; FORKS 2: that child execs "faulty child", which does the same in a fresh image.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile long total;
static int forks;
static char *self;

__attribute__((noinline)) void hit(long i) { total += i; }

static void survive(void) {
    for (long i = 0; i < 100; i++)
        hit(i);
    printf("F %d\n", (int)getpid());
    fflush(stdout);
    for (;;)
        pause();
}

static void commit(char c) {
    if (c == 'x')
        syscall(SYS_exit_group, 3);
    if (c == 'e') {
        execl("/bin/true", "true", (char *)0);
        _exit(99);
    }
    if (c == 's')
        *(volatile int *)0 = 1;
}

static void loop(int faults, int forker) {
    for (long i = 0;; i++) {
        hit(i);
        getppid();
        if (forker && i == 64) {
            pid_t p = fork();
            if (p == 0) {
                if (forks == 2) {
                    execl(self, self, "child", (char *)0);
                    _exit(98);
                }
                survive();
            }
        }
        char c;
        if (faults && read(0, &c, 1) == 1)
            commit(c);
    }
}

static void *worker(void *arg) {
    loop(arg != 0, 0);
    return 0;
}

int main(int argc, char **argv) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none); /* the SIGSEGV faults leave no core files */
    self = argv[0];
    if (argc > 1 && strcmp(argv[1], "child") == 0)
        survive();
    int threads = argc > 1 ? atoi(argv[1]) : 1;
    forks = argc > 2 ? atoi(argv[2]) : 0;
    fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
    for (int i = 1; i < threads; i++) {
        pthread_t t;
        pthread_create(&t, 0, worker, i == threads - 1 ? (void *)1 : 0);
    }
    loop(threads == 1, forks > 0);
}
