/* Creates 100 threads (10 at a time), each doing a little work and exiting; checks the sum. */
#include <pthread.h>
#include <stdio.h>
static void *work(void *arg) {
    long n = (long)arg, s = 0;
    for (long i = 0; i <= n; i++)
        s += i;
    return (void *)s;
}
int main(void) {
    long total = 0;
    for (int round = 0; round < 10; round++) {
        pthread_t t[10];
        for (int i = 0; i < 10; i++)
            pthread_create(&t[i], 0, work, (void *)(long)(round * 10 + i));
        for (int i = 0; i < 10; i++) {
            void *r;
            pthread_join(t[i], &r);
            total += (long)r;
        }
    }
    long want = 0;
    for (long n = 0; n < 100; n++)
        want += n * (n + 1) / 2;
    printf("total=%ld\n", total);
    return total == want ? 0 : 1;
}
