/* Three threads, each writing, sleeping and asking its tid; main joins them. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static void *worker(void *arg) {
    char msg[32];
    int n = snprintf(msg, sizeof msg, "thread %ld\n", (long) arg);
    struct timespec ts = {0, 20000000L * (long) arg};
    nanosleep(&ts, NULL);
    write(1, msg, n);
    syscall(SYS_gettid);
    return NULL;
}

int main(void) {
    pthread_t t[3];
    for (long i = 0; i < 3; i++) {
        pthread_create(&t[i], NULL, worker, (void *) (i + 1));
    }
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
    }
    write(1, "joined\n", 7);
    return 0;
}
