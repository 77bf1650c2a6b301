// cflags: -no-pie
/*
 * For a process detach racing single-steps in flight: argv[1] threads (main included) count in
 * a loop for argv[2] milliseconds. A SIGTRAP of a step left queued at the detach would reach
 * the program: it is counted by a handler and the exit code is 99; else 0.
 */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

static volatile sig_atomic_t traps;
static volatile long counts[16];
static void on_trap(int sig) { (void)sig; traps++; }

static long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static void *count(void *arg) {
    volatile long *c = arg;
    for (;;)
        (*c)++;
    return 0;
}

int main(int argc, char **argv) {
    signal(SIGTRAP, on_trap);
    int threads = argc > 1 ? atoi(argv[1]) : 4;
    long ms = argc > 2 ? atol(argv[2]) : 500;
    for (int i = 1; i < threads && i < 16; i++) {
        pthread_t t;
        pthread_create(&t, 0, count, (void *)&counts[i]);
    }
    long end = now_ms() + ms;
    while (now_ms() < end)
        counts[0]++;
    return traps ? 99 : 0;
}
