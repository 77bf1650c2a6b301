// clone() without CLONE_THREAD and with no exit signal: each child is a thread group (a process)
// of its own that only a wait with __WCLONE or __WALL collects. The program aborts if any of its
// waits fails or reports another status than the child's: a tracer must leave the children the
// program's own for every wait it makes.
//  - child 1 shares the memory (CLONE_VM), the parent waits with __WCLONE while it runs;
//  - child 2 has a copy of it (no CLONE_VM) and is collected with __WALL after it has exited
//    (the parent sleeps first: a tracer that reaped it must hand its status on).
// Exits 0 after printing both children's exit codes.
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char stack[2][64 * 1024];

__attribute__((noinline)) int clone_child_work(int x) { return x * 3; }

static int child_main(void *arg) {
    return clone_child_work((int)(long)arg);
}

static void collect(pid_t c, int options, int expect) {
    int st = 0;
    pid_t w = waitpid(c, &st, options);
    if (w != c) {
        perror("waitpid");
        abort();
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != expect) {
        fprintf(stderr, "child %d: status 0x%x\n", (int)c, st);
        abort();
    }
    printf("clone child exit %d\n", WEXITSTATUS(st));
    fflush(stdout);
}

int main(void) {
    pid_t a = clone(child_main, stack[0] + sizeof stack[0], CLONE_VM, (void *)2L);
    if (a < 0) { perror("clone"); abort(); }
    collect(a, __WCLONE, 6);
    pid_t b = clone(child_main, stack[1] + sizeof stack[1], 0, (void *)3L);
    if (b < 0) { perror("clone"); abort(); }
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
    collect(b, __WALL, 9);
    // Nothing is left to wait for.
    if (waitpid(-1, NULL, __WALL | WNOHANG) != -1) { fprintf(stderr, "a child left\n"); abort(); }
    return 0;
}
