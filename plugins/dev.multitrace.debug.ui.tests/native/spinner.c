/* The attach test's target: three threads that run (never block for long) until the main thread
 * has lived 60 seconds, so a test that fails never leaves it behind for long. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long counters[3];

static void *spin(void *arg)
{
    volatile unsigned long *c = arg;
    for (;;) {
        (*c)++;                                      /* LINE:spin */
        usleep(1000);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[2];
    pthread_create(&t[0], NULL, spin, (void *) &counters[1]);
    pthread_create(&t[1], NULL, spin, (void *) &counters[2]);
    printf("spinner: ready\n");
    fflush(stdout);
    time_t end = time(NULL) + 60;
    while (time(NULL) < end) {
        counters[0]++;
        usleep(1000);
    }
    return 0;
}
