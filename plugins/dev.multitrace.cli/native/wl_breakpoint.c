// Benchmark workload "breakpoint": a loop calling hit() N times; a tracer plants a breakpoint
// on hit and resumes at each hit. The program times its own loop.
// usage: wl_breakpoint N OUTFILE   (writes the loop's nanoseconds to OUTFILE)
// Non-PIE so that hit's address in the symbol table is its address in memory.
// cflags: -O1 -no-pie
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile long counter;

__attribute__((noinline)) void hit(void) {
    counter++;
    __asm__ volatile("" ::: "memory");
}

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s N OUTFILE\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]);
    long long t0 = now_ns();
    for (long i = 0; i < n; i++) {
        hit();
    }
    long long t1 = now_ns();
    FILE *f = fopen(argv[2], "w");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fprintf(f, "%lld\n", t1 - t0);
    return fclose(f) == 0 ? 0 : 1;
}
