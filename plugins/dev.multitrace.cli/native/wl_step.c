// Benchmark workload "step": spin() is a tight loop a tracer single-steps from its entry.
// The loop is long enough (about a second untraced) that no step count the benchmark asks
// for can reach its end; the tracer kills the program after stepping.
// usage: wl_step
// cflags: -O1 -no-pie
volatile long sink;

__attribute__((noinline)) void spin(long n) {
    for (long i = 0; i < n; i++) {
        sink += i;
    }
}

int main(void) {
    spin(1L << 30);
    return 0;
}
