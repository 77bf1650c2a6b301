// cflags: -no-pie
/*
 * For the stray-trap seeds with breakpoints, watchpoints and steps: argv[1] iterations each
 * call tick() (a breakpoint target) and store to `watched` (a watchpoint target). Counts every
 * SIGTRAP it receives; exits 99 if it got any, 1 if its sums are wrong, else 0.
 */
#include <signal.h>
#include <stdlib.h>

static volatile sig_atomic_t traps;
volatile long watched;
static long ticks;
static void on_trap(int sig) { (void)sig; traps++; }
__attribute__((noinline, noipa)) void tick(void) { ticks++; }

int main(int argc, char **argv) {
    signal(SIGTRAP, on_trap);
    long n = argc > 1 ? atol(argv[1]) : 50;
    for (long i = 1; i <= n; i++) {
        tick();
        watched = i;
    }
    if (traps)
        return 99;
    return ticks == n ? 0 : 1;
}
