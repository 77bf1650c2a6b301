// variant o2: -O2
// variant nopie: -no-pie
// variant o2_nopie: -O2 -no-pie
// variant dwarf4: -O2 -gdwarf-4
// variant gz: -O2 -gz=zlib -Wl,--compress-debug-sections=zlib
// variant zstd: -O2 -Wl,--compress-debug-sections=zstd
// variant static: -O2 -static
// Symbol-layer test target: assorted functions (static, recursive, inlinable, via pointers).
// With argument "wait" it prints the run-time addresses of main and nanosleep, then waits for stdin to close.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct point {
    int x;
    int y;
};

static int square(int v)
{
    return v * v;
}

int recurse(int depth)
{
    if (depth <= 0) {
        return 0;
    }
    return 1 + recurse(depth - 1);
}

static long sum_points(const struct point *p, int n)
{
    long total = 0;
    for (int i = 0; i < n; i++) {
        total += square(p[i].x) + square(p[i].y);
    }
    return total;
}

int classify(int v)
{
    switch (v % 5) {
    case 0:
        return 10;
    case 1:
        return v * 3;
    case 2:
        return recurse(v & 7);
    case 3:
        return (int) strlen("three");
    default:
        return -v;
    }
}

typedef int (*op_fn)(int);

static int twice(int v) { return v * 2; }
static int negate(int v) { return -v; }

int apply_all(int v)
{
    static const op_fn ops[] = {twice, negate, classify};
    int acc = 0;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        acc += ops[i](v + (int) i);
    }
    return acc;
}

int main(int argc, char **argv)
{
    struct point pts[4] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
    long total = sum_points(pts, 4);
    for (int i = 0; i < 10; i++) {
        total += classify(i) + apply_all(i);
    }
    if (argc > 1 && strcmp(argv[1], "wait") == 0) {
        int (*ns)(const struct timespec *, struct timespec *) = nanosleep;
        printf("main=%p nanosleep=%p recurse=%p\n", (void *) main, (void *) ns, (void *) recurse);
        fflush(stdout);
        char buf[16];
        while (read(0, buf, sizeof buf) > 0) {
        }
    }
    return (int) (total & 1);
}
