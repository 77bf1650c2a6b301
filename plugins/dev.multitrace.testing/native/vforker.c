// vfork under gdb: the child re-executes this program as "execd" (which exits 3), or with "exit"
// calls _exit(4) at once; the parent, suspended until then, waits for it, calls parent_work and
// prints what the child's exit code was.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline)) int parent_work(int x) { return x + 1; }

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "execd") == 0) {
        return 3;
    }
    pid_t c = vfork();
    if (c == 0) {
        if (argc > 1 && strcmp(argv[1], "exit") == 0) {
            _exit(4);
        }
        execl("/proc/self/exe", argv[0], "execd", (char *)0);
        _exit(99);
    }
    int st = 0;
    if (waitpid(c, &st, 0) != c) {
        perror("waitpid");
        abort();
    }
    printf("parent %d child exit %d\n", parent_work(1), WEXITSTATUS(st));
    fflush(stdout);
    return 0;
}
