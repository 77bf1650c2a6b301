// Benchmark workload "stop-all": T threads (and the main thread) blocked in pause(); prints
// "ready" when all exist. A tracer then attaches, stops every thread and detaches, repeatedly.
// usage: wl_threads T
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *idle(void *arg) {
    (void) arg;
    for (;;) {
        pause();
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s T\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024); // 1000 threads must fit anywhere
    for (int i = 0; i < n - 1; i++) {
        pthread_t t;
        if (pthread_create(&t, &attr, idle, NULL) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    printf("ready\n");
    fflush(stdout);
    for (;;) {
        pause();
    }
}
