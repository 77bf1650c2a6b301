// Fork (and exec) under gdb: the child calls child_work and exits with its value, or with
// "exec" re-executes this program as "execd", which exits with 3; the parent waits for it,
// calls parent_work and prints what the child's exit code was.
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int child_work(int x) { return x * 7; }

__attribute__((noinline)) int parent_work(int x) { return x + 1; }

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "execd") == 0) {
        printf("execd\n");
        fflush(stdout);
        return 3;
    }
    pid_t c = fork();
    if (c == 0) {
        int v = child_work(1);
        printf("child %d\n", v);
        fflush(stdout);
        if (argc > 1 && strcmp(argv[1], "exec") == 0) {
            execl("/proc/self/exe", argv[0], "execd", (char *)0);
            _exit(99);
        }
        _exit(v);
    }
    int st = 0;
    waitpid(c, &st, 0);
    printf("parent %d child exit %d\n", parent_work(1), WEXITSTATUS(st));
    fflush(stdout);
    return 0;
}
