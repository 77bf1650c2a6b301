/* Forks a child that exits 5; the parent waits and exits with the child's status + 10. */
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t p = fork();
    if (p == 0)
        _exit(5);
    int st;
    waitpid(p, &st, 0);
    return WEXITSTATUS(st) + 10;
}
