// cflags: -no-pie
/* Who sent SIGUSR1, as an SA_SIGINFO handler sees it. No argument: a forked child sigqueue()s it
 * with the value 4242 to its parent. "wait": the program calls ready() and waits for a SIGUSR1
 * from anyone (a debugger's `signal SIGUSR1`). Prints si_code, si_pid and si_value. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got, code, sender, value;

static void on_usr1(int sig, siginfo_t *si, void *uc) {
    (void)sig;
    (void)uc;
    got = 1;
    code = si->si_code;
    sender = si->si_pid;
    value = si->si_value.sival_int;
}

__attribute__((noinline)) void ready(void) { __asm__ volatile("" ::: "memory"); }

int main(int argc, char **argv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, &old);
    pid_t child = 0;
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        ready();
    } else {
        child = fork();
        if (child == 0) {
            union sigval v = {.sival_int = 4242};
            sigqueue(getppid(), SIGUSR1, v);
            _exit(0);
        }
    }
    while (!got) {
        sigsuspend(&old);
    }
    if (child > 0) {
        waitpid(child, NULL, 0);
    }
    printf("code=%d pid=%d from_child=%d value=%d\n", (int)code, (int)sender, child > 0 && sender == child, (int)value);
    fflush(stdout);
    return 0;
}
