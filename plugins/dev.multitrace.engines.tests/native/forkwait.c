/* A child that exits with 7, waited for by its parent; a child killed by SIGKILL. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int st;
    pid_t c = fork();
    if (c == 0) {
        write(1, "child\n", 6);
        _exit(7);
    }
    waitpid(c, &st, 0);
    c = fork();
    if (c == 0) {
        kill(getpid(), SIGKILL);
        _exit(1);
    }
    waitpid(c, &st, 0);
    write(1, "parent\n", 7);
    return WEXITSTATUS(st) + 5;
}
