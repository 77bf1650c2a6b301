/* A child that exits with 7, waited for by its parent; a child killed by SIGKILL.
 * SIGCHLD is blocked around each fork and wait, so its delivery always comes after the wait4
 * that reaps the child: otherwise whether it lands before or after the wait4 line depends on
 * which process the scheduler runs first, and the trace would differ from strace's by chance. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void block_sigchld(int how) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGCHLD);
    sigprocmask(how, &s, NULL);
}

int main(void) {
    int st;
    block_sigchld(SIG_BLOCK);
    pid_t c = fork();
    if (c == 0) {
        write(1, "child\n", 6);
        _exit(7);
    }
    waitpid(c, &st, 0);
    block_sigchld(SIG_UNBLOCK);
    block_sigchld(SIG_BLOCK);
    c = fork();
    if (c == 0) {
        kill(getpid(), SIGKILL);
        _exit(1);
    }
    waitpid(c, &st, 0);
    block_sigchld(SIG_UNBLOCK);
    write(1, "parent\n", 7);
    return WEXITSTATUS(st) + 5;
}
