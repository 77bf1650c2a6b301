// Benchmark workload "watch": writes() stores N new values into `counter`; a tracer watches
// counter from the entry of writes() and stops watching at done(). The program times the call
// of writes() and done() from outside them (the clock is read where nothing is stepped: under
// single-steps the vDSO's clock_gettime alone is hundreds of instructions) and writes the
// nanoseconds to OUTFILE.
// usage: wl_watch N OUTFILE
// Non-PIE so that the symbols' addresses in the symbol table are their addresses in memory.
// cflags: -O1 -no-pie
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile long counter;

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

__attribute__((noinline)) void writes(long n) {
    for (long i = 1; i <= n; i++) {
        counter = i;
    }
}

__attribute__((noinline)) void done(void) {
    __asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s N OUTFILE\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]);
    long long t0 = now_ns();
    writes(n);
    done();
    long long ns = now_ns() - t0;
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fprintf(f, "%lld\n", ns);
    fclose(f);
    return counter == n ? 0 : 1;
}
