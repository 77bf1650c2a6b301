// cflags: -no-pie
/* The worker reaches worker_mark() at once; the main thread reaches main_mark() 50 ms later. */
#include <pthread.h>
#include <unistd.h>
__attribute__((noinline)) void worker_mark(void) { __asm__ volatile("nop"); }
__attribute__((noinline)) void main_mark(void) { __asm__ volatile("nop"); }
static void *worker(void *arg) {
    worker_mark();
    return arg;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, 0, worker, 0);
    usleep(50000);
    main_mark();
    pthread_join(t, 0);
    return 7;
}
