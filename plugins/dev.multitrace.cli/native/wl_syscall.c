// Benchmark workload "syscall": N cheap system calls (getppid, never cached by glibc),
// timed by the program itself so that every tracer is measured by the same clock.
// usage: wl_syscall N OUTFILE   (writes the loop's nanoseconds to OUTFILE)
// cflags: -O1 -no-pie
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); // vDSO: no system call, no stop
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
        syscall(SYS_getppid);
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
