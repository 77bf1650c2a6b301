/* A thread that exits in the middle of a step into selection: it is asked to step into a function on a line of
 * main it never reaches, so it runs until it exits; main then joins it and goes on.
 * Test markers in comments name lines; the tests find them by text. */
#include <pthread.h>
#include <stdio.h>

volatile int done;

__attribute__((noinline)) int work(int x) {
    return x + 1;
}

static void *worker(void *arg) {
    (void)arg;
    done = work(1); /* MARK:worker-call */
    return NULL;
}

int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    int r = work(done); /* MARK:after-join */
    printf("r=%d\n", r);
    fflush(stdout);
    return r; /* MARK:final */
}
