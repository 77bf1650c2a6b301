/* The session's sample of fork and vfork catchpoints. A second thread waits (all-stop stops it too).
 * With no argument the program forks: the child waits on a pipe until the parent, resumed, writes to
 * it, then runs child_work (where a test plants a breakpoint: a copy of its int3 left in the child
 * would kill it with SIGTRAP) and exits with child_work's 42. With "vfork" it vforks and the child
 * exits 42 at once. Either way the parent then calls child_work itself, and exits with the child's
 * exit code (or 100 + the signal that killed it). Test markers in comments name lines. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

volatile int worked;
static int gate[2];

int child_work(int v) {
    worked += v; /* MARK:child-work */
    return v * 2;
}

static void *waiter(void *arg) {
    char c;
    /* ends when main writes, or when the process ends */
    while (read(gate[0], &c, 1) < 0) {
    }
    return arg;
}

int main(int argc, char **argv) {
    int ready[2];
    if (pipe(gate) != 0 || pipe(ready) != 0) {
        return 2;
    }
    pthread_t t;
    pthread_create(&t, NULL, waiter, NULL);
    pid_t child;
    if (argc > 1 && strcmp(argv[1], "vfork") == 0) {
        child = vfork();
        if (child == 0) {
            _exit(42);
        }
    } else {
        child = fork(); /* MARK:fork */
        if (child == 0) {
            char c;
            while (read(ready[0], &c, 1) < 0) {
            }
            _exit(child_work(21));
        }
        if (write(ready[1], "g", 1) != 1) {
            return 3;
        }
    }
    int status;
    if (waitpid(child, &status, 0) != child) {
        return 4;
    }
    child_work(1);
    if (write(gate[1], "g", 1) != 1) {
        return 5;
    }
    pthread_join(t, NULL);
    return WIFSIGNALED(status) ? 100 + WTERMSIG(status) : WEXITSTATUS(status);
}
