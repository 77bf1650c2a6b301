/* A followed fork child that execs (issue 14): the child execs the program named by argv[1] (with the rest of
 * the arguments), the parent waits for it and exits with its status (or 100 + the signal that killed it). */
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        return 2;
    }
    pid_t child = fork();
    if (child == 0) {
        execv(argv[1], argv + 1);
        _exit(127);
    }
    int status;
    if (waitpid(child, &status, 0) != child) {
        return 4;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
