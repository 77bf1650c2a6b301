// variant o2: -O2
/* Line steps against gdb: lines of every shape a step must cross the way gdb's next and step do.
 * Straight arithmetic, calls (nested, through a pointer, recursive), a loop on one line, a ?: and a
 * switch, a struct zeroed and copied (rep stos and rep movs at -O0), a call to the C library at the end.
 * Test markers in comments name lines; the tests find them by text. */
#include <stdio.h>

struct big {
    long words[40];
};

static volatile long sink;

__attribute__((noinline)) static long twice(long v) {
    return v * 2;
}

__attribute__((noinline)) static long add(long a, long b) {
    long s = a + b;
    return s;
}

__attribute__((noinline)) static long depth(int n) {
    if (n <= 0) {
        return 1;
    }
    return n + depth(n - 1); /* MARK:recurse */
}

__attribute__((noinline)) static long copy_sum(const struct big *from) {
    struct big to = *from;
    long s = 0;
    for (int i = 0; i < 40; i += 8) s += to.words[i];
    return s;
}

int main(int argc, char **argv) {
    struct big b = {0}; /* MARK:first */
    long (*f)(long) = twice;
    long total = argc;
    for (int round = 0; round < 3; round++) {
        total = add(twice(total), f(round));
        int n = (int) (total & 7);
        while (n > 0) n -= 3;
        total += n < -1 ? 5 : 7;
        switch (round) {
        case 0:
            total ^= 0x55;
            break;
        case 1:
            total += depth(3);
            break;
        default:
            b.words[round] = total;
            total += copy_sum(&b);
        }
        sink = total;
    }
    printf("%ld\n", total); /* MARK:print */
    return 0;
}
