/* A running process to attach to: three threads that loop in a function with a known name, so
 * that breakpoints can be planted there; prints "ready <pid>" once all threads run. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

volatile long ticks;

__attribute__((noinline)) void tick(void) {
    ticks++; /* MARK:tick */
}

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        tick();
        usleep(1000);
    }
    return NULL;
}

int main(void) {
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, worker, NULL);
    }
    printf("ready %d\n", (int)getpid());
    fflush(stdout);
    worker(NULL);
    return 0;
}
