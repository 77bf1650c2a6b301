/* The sample of followed fork children (issue 14: the DSF services and the Debug view): main forks once; the
 * child runs child_work(21) and exits with its 42; the parent waits for it, then runs child_work(1) itself and
 * exits with the child's status. Test markers in comments name lines. */
#include <sys/wait.h>
#include <unistd.h>

volatile int worked;

int child_work(int v) {
    worked += v; /* MARK:child-work */
    return v * 2;
}

int main(void) {
    pid_t child = fork(); /* MARK:fork */
    if (child == 0) {
        _exit(child_work(21));
    }
    int status;
    if (waitpid(child, &status, 0) != child) {
        return 4;
    }
    child_work(1);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}
