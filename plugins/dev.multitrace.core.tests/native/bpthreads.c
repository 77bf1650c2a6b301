// cflags: -no-pie
/* Four threads call work() 2500 times each; exits 0 if every thread's result is right. */
#include <pthread.h>
__attribute__((noinline)) long work(long acc, long i) { return acc + i * 3 + 1; }
static void *run(void *arg) {
    long acc = 0;
    for (long i = 0; i < 2500; i++)
        acc = work(acc, i);
    *(long *)arg = acc;
    return 0;
}
int main(void) {
    pthread_t t[4];
    long r[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&t[i], 0, run, &r[i]);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], 0);
    long want = 3L * 2500 * 2499 / 2 + 2500;
    for (int i = 0; i < 4; i++)
        if (r[i] != want)
            return 1;
    return 0;
}
