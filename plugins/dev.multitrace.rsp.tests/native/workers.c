// Four threads that each call work() once, then wait at a barrier so that all are alive together.
#include <pthread.h>
#include <stdio.h>

static pthread_barrier_t barrier;
volatile int done[4];

int work(int id) {
    done[id] = id + 1;
    return id * 10;
}

static void *worker(void *arg) {
    int id = (int) (long) arg;
    pthread_barrier_wait(&barrier);
    work(id);
    pthread_barrier_wait(&barrier);
    return NULL;
}

int main(void) {
    pthread_t t[4];
    pthread_barrier_init(&barrier, NULL, 5);
    for (long i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, worker, (void *) i);
    }
    pthread_barrier_wait(&barrier);
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    printf("workers done %d %d %d %d\n", done[0], done[1], done[2], done[3]);
    return 5;
}
