// cflags: -no-pie
/* Targets for the stepping classics: a handler to step into, a raw syscall to step over, a call to step onto. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static volatile sig_atomic_t handled;
__attribute__((noinline)) void handler(int sig) { (void)sig; handled++; }
__attribute__((noinline)) void callee(void) { __asm__ volatile("nop"); }
__attribute__((noinline)) void do_syscall(void) {
    __asm__ volatile(
        ".globl before_syscall\n"
        "before_syscall:\n\t"
        "mov $110, %%eax\n\t"
        ".globl at_syscall\n"
        "at_syscall:\n\t"
        "syscall\n\t"
        ".globl after_syscall\n"
        "after_syscall:\n\t"
        "nop\n" ::: "rax", "rcx", "r11", "memory");
}
int main(void) {
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    do_syscall();
    callee();
    printf("handled=%d\n", (int)handled);
    return 0;
}
