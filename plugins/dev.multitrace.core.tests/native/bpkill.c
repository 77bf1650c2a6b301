// cflags: -no-pie
/*
 * The newcomer's program: main calls hit() in a loop, and so does a worker thread ("both"), or
 * the worker only sleeps ("main"). It runs until it is killed.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>
volatile long total;
__attribute__((noinline)) void hit(long i) { total += i; }
static void *worker(void *arg) {
    if (arg) {
        for (long i = 0;; i++)
            hit(i);
    }
    for (;;)
        pause();
    return 0;
}
int main(int argc, char **argv) {
    int both = argc > 1 && strcmp(argv[1], "both") == 0;
    pthread_t t;
    pthread_create(&t, 0, worker, both ? (void *)1 : 0);
    for (long i = 0;; i++)
        hit(i);
}
