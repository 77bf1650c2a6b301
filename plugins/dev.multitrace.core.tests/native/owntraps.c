// cflags: -no-pie
/*
 * A program's own SIGTRAPs among watchpoint hits: four stores to `var` (a watchpoint target)
 * and three traps of its own: an int3, raise(SIGTRAP), and the trap flag it sets itself with
 * popf, which traps after the third store (the same debug exception as a watchpoint hit on
 * it). Prints what it got; exits 0 if all three traps reached its handler.
 * With argv[1] "direct" the second trap is a bare tgkill syscall instead of raise(), which
 * blocks every signal around its tgkill: a single-step trap while SIGTRAP is blocked makes the
 * kernel reset the program's SIGTRAP handler (force_sig on a blocked signal), so a program that
 * is stepped through raise(SIGTRAP) loses its handler, under any debugger.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

volatile long var;
static volatile sig_atomic_t traps;

static void on_trap(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    (void)si;
    traps++;
    ((ucontext_t *)ctx)->uc_mcontext.gregs[REG_EFL] &= ~0x100L; /* the trap flag stays off after return */
}

int main(int argc, char **argv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, 0);
    var = 1;
    __asm__ volatile("int3");
    var = 2;
    if (argc > 1 && strcmp(argv[1], "direct") == 0)
        syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGTRAP);
    else
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
