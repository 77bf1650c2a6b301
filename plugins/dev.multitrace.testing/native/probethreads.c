// Probe test target with threads: four threads each call work() five times; each has its own
// thread-local counter. A probe must see every call on every thread, each with its thread's TLS.
// Exits with 5.
#include <pthread.h>

__thread int tls_calls;

__attribute__((noinline)) int work(int id, int round) {
    tls_calls++;
    return id * 100 + round + tls_calls; // MARK:work (after the thread-local is counted)
}

static void *worker(void *arg) {
    int id = (int) (long) arg;
    int sum = 0;
    for (int r = 0; r < 5; r++) {
        sum += work(id, r);
    }
    return (void *) (long) sum;
}

int main(void) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, worker, (void *) (i + 1));
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    return 5;
}
