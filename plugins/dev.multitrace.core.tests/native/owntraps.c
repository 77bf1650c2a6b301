// cflags: -no-pie
/*
 * A program's own SIGTRAPs among watchpoint hits: four stores to `var` (a watchpoint target)
 * and three traps of its own: an int3, raise(SIGTRAP), and the trap flag it sets itself with
 * popf, which traps after the third store (the same debug exception as a watchpoint hit on
 * it). Prints what it got; exits 0 if all three traps reached its handler.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

volatile long var;
static volatile sig_atomic_t traps;

static void on_trap(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    (void)si;
    traps++;
    ((ucontext_t *)ctx)->uc_mcontext.gregs[REG_EFL] &= ~0x100L; /* the trap flag stays off after return */
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, 0);
    var = 1;
    __asm__ volatile("int3");
    var = 2;
    raise(SIGTRAP);
    __asm__ volatile(
        "pushfq\n\t"
        "orq $0x100, (%%rsp)\n\t"
        "popfq\n\t"
        "movq $3, var(%%rip)\n\t"
        "nop\n" ::: "memory", "cc");
    var = 4;
    printf("traps=%d\n", (int)traps);
    return traps == 3 ? 0 : 1;
}
