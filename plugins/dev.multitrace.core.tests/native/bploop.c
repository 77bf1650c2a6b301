// cflags: -no-pie
/* Calls f() and g() 10000 times each, then waits for stdin to close; exits 0 if the sums are right. */
#include <stdio.h>
#include <unistd.h>
volatile long fsum, gsum;
__attribute__((noinline)) void f(long i) { fsum += i; }
__attribute__((noinline)) void g(long i) { gsum += 2 * i; }
int main(void) {
    for (long i = 0; i < 10000; i++) {
        f(i);
        g(i);
    }
    long want = 10000L * 9999 / 2;
    printf("done\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) == 1)
        ;
    return fsum == want && gsum == 2 * want ? 0 : 1;
}
