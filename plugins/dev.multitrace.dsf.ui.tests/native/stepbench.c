/* The DSF speed comparison's program: main steps over simple lines of a long loop, with a few
 * locals for the Variables view, and a call two frames deep so the stack has more than one frame. */
#include <stdio.h>

static long mix(long a, long b) {
    return a * 31 + b;
}

static long round_of(long sum, int i) {
    long m = mix(sum, i);
    return m ^ (m >> 7);
}

int main(void) {
    long sum = 0; /* MARK:first */
    int a = 1;
    int b = 2;
    for (int i = 0; i < 1000000; i++) {
        sum = round_of(sum, i);
        a = a * 3 + b;
        b = b ^ a;
    }
    printf("%ld %d %d\n", sum, a, b);
    return 0;
}
