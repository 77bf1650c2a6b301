/* restartsleep INTERRUPTIONS MS: sleeps MS milliseconds in one nanosleep (clock_nanosleep in
 * glibc) while a child interrupts that sleep INTERRUPTIONS times with SIGWINCH.
 *
 * SIGWINCH's default action is to ignore it, and an untraced process never even gets it. A traced
 * one does (the tracer must see it): the sleep returns ERESTART_RESTARTBLOCK, the signal is
 * reported, ignored, and the kernel resumes the sleep through restart_syscall, the case a tracer
 * has to name ("resuming interrupted clock_nanosleep"). The second interruption interrupts the
 * restart_syscall itself.
 *
 * The child sends each signal only once the parent sleeps (state S in /proc/PPID/status: the sleep
 * is the only call that blocks after the pipe write that announces it, and the restarted sleep the
 * only one after a signal), so where the signal lands
 * does not depend on the scheduler. SIGCHLD stays blocked, so the child's exit interrupts nothing.
 * With INTERRUPTIONS 0 there is no child: a process to attach to while it sleeps. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The task's state letter and how many times it has blocked so far, from /proc/PID/status. */
static char state_of(pid_t pid, long *blocked) {
    char path[64], line[256];
    char state = '?';
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (!f) {
        return '?';
    }
    while (fgets(line, sizeof line, f)) {
        sscanf(line, "State: %c", &state);
        sscanf(line, "voluntary_ctxt_switches: %ld", blocked);
    }
    fclose(f);
    return state;
}

/* Waits until the task sleeps, having blocked more than `after` times, and returns that count.
   The count tells a sleep that began after a kill() from the one it interrupted: right after
   kill() the woken task may still read S for a moment. */
static long await_sleeping(pid_t pid, long after) {
    struct timespec ms = {0, 1000000L};
    long blocked = -1;
    while (state_of(pid, &blocked) != 'S' || blocked <= after) {
        nanosleep(&ms, NULL);
    }
    return blocked;
}

int main(int argc, char **argv) {
    int interruptions = argc > 1 ? atoi(argv[1]) : 1;
    long ms = argc > 2 ? atol(argv[2]) : 300;
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    int go[2];
    pid_t child = 0;
    if (interruptions > 0) {
        pipe(go);
        child = fork();
        if (child == 0) {
            pid_t parent = getppid();
            char c;
            read(go[0], &c, 1);
            long blocked = -1;
            for (int i = 0; i < interruptions; i++) {
                blocked = await_sleeping(parent, blocked);
                kill(parent, SIGWINCH);
            }
            _exit(0);
        }
        write(go[1], "g", 1);
    }
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    if (child > 0) {
        waitpid(child, NULL, 0);
    }
    return 0;
}
