// cflags: -no-pie
// A vfork child that runs through code its parent's debugger has a breakpoint in: only the child calls
// child_mark, then exits with its result (4). The parent prints how the child ended.
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int child_mark(int x) { return x + 3; }

int main(void) {
    pid_t c = vfork();
    if (c == 0) {
        _exit(child_mark(1));
    }
    int st = 0;
    if (waitpid(c, &st, 0) != c) {
        perror("waitpid");
        return 1;
    }
    if (WIFSIGNALED(st)) {
        printf("child killed by signal %d\n", WTERMSIG(st));
    } else {
        printf("child exit %d\n", WEXITSTATUS(st));
    }
    fflush(stdout);
    return 0;
}
