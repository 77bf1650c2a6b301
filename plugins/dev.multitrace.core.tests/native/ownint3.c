// cflags: -no-pie
/* Executes its own int3 with a SIGTRAP handler installed; prints whether the handler ran. */
#include <signal.h>
#include <stdio.h>
static volatile sig_atomic_t trapped;
static void on_trap(int sig) { (void)sig; trapped++; }
__attribute__((noinline)) void marker(void) { __asm__ volatile("nop"); }
int main(void) {
    signal(SIGTRAP, on_trap);
    marker();
    __asm__ volatile("int3");
    printf("trapped=%d\n", (int)trapped);
    return 0;
}
