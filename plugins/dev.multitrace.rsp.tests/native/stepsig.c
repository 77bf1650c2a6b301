// stepi in a busy loop while a timer signal arrives at a high rate: gdb passes SIGALRM silently
// (handle SIGALRM nostop noprint pass), every 2 ms or every argv[1] microseconds. Each stepi must advance by one instruction, the handler
// stepped over, and never run on to done() (which a step that became a continue reaches soon).
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

volatile unsigned long counter;
volatile int handled;
volatile int watched;

static void on_alarm(int sig) {
    (void)sig;
    handled++;
}

__attribute__((noinline)) void busy(void) {
    for (unsigned long i = 0; i < 300000000UL; i++) {
        counter += i;
    }
}

__attribute__((noinline)) void done(void) {
    watched = 0;
}

int main(int argc, char **argv) {
    long us = argc > 1 ? atol(argv[1]) : 2000; // the timer's period
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    struct itimerval it = {{0, us}, {0, us}}; // often during the steps, never all the time
    setitimer(ITIMER_REAL, &it, 0);
    busy();
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, 0);
    done();
    printf("done %d\n", handled > 0);
    return 0;
}
