/* The sample of event breakpoints (issue 14): each event a debugger can catch happens once, in this
 * order: a thread starts and exits, a child is forked (it exits at once, so the parent gets SIGCHLD),
 * getppid is called, and the program execs itself with "again", which exits 4. Test markers in
 * comments name lines. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg) {
    return arg; /* MARK:worker */
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        return 4;
    }
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    pid_t child = fork();
    if (child == 0) {
        _exit(0);
    }
    waitpid(child, NULL, 0);
    syscall(SYS_getppid); /* MARK:getppid */
    execl("/proc/self/exe", argv[0], "again", (char *) 0);
    return 1;
}
