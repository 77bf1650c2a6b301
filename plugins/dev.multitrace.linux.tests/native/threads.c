// Starts three threads named worker-0..2 that block forever, prints "ready" once they
// all exist (pthread_create returns after the kernel made the task; the names are
// written before returning too), then waits for stdin to close.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *worker(void *arg) {
    (void)arg;
    for (;;) {
        pause();
    }
    return NULL;
}

int main(void) {
    for (int i = 0; i < 3; i++) {
        pthread_t t;
        char name[16];
        if (pthread_create(&t, NULL, worker, NULL) != 0) {
            return 100;
        }
        snprintf(name, sizeof name, "worker-%d", i);
        pthread_setname_np(t, name);
    }
    puts("ready");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    return 0;
}
