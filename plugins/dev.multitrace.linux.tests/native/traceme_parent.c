// A second tracer for the "already traced" test. It forks a child that asks to be traced
// by it (PTRACE_TRACEME: allowed even under Yama ptrace_scope=1 without privileges, as
// the tracer is the parent, unlike `strace -p` on a sibling), prints the child's pid once
// the child is traced, and kills the child when stdin closes.
#include <signal.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int ready[2];
    if (pipe(ready) != 0) {
        return 100;
    }
    pid_t child = fork();
    if (child < 0) {
        return 101;
    }
    if (child == 0) {
        close(ready[0]);
        if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) {
            _exit(102);
        }
        if (write(ready[1], "x", 1) != 1) {
            _exit(103);
        }
        for (;;) {
            pause();
        }
    }
    close(ready[1]);
    char c;
    if (read(ready[0], &c, 1) != 1) {
        return 104;
    }
    printf("%d\n", (int)child);
    fflush(stdout);
    while (read(0, &c, 1) > 0) {
    }
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    return 0;
}
