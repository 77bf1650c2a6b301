// cflags: -no-pie
/*
 * Step-through-sigreturn target: a raw tgkill at at_kill sends SIGUSR1 to this thread, so the
 * signal interrupts the code exactly at after_kill. The handler is assembly with a labelled
 * `ret` (sr_handler_ret), which returns into glibc's rt_sigreturn trampoline.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

volatile int handled;
void sr_handler(int);
__asm__(".text\n"
        ".globl sr_handler\n"
        ".type sr_handler, @function\n"
        "sr_handler:\n\t"
        "incl handled(%rip)\n"
        ".globl sr_handler_ret\n"
        "sr_handler_ret:\n\t"
        "ret\n");

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = sr_handler;
    sigaction(SIGUSR1, &sa, 0); /* glibc adds SA_RESTORER with its __restore_rt */
    long pid = getpid(), tid = syscall(SYS_gettid), r;
    __asm__ volatile(
        "mov %1, %%rdi\n\t"
        "mov %2, %%rsi\n\t"
        "mov $10, %%edx\n\t"
        "mov $234, %%eax\n"
        ".globl at_kill\n"
        "at_kill:\n\t"
        "syscall\n"
        ".globl after_kill\n"
        "after_kill:\n\t"
        "nop\n"
        : "=a"(r) : "r"(pid), "r"(tid) : "rdi", "rsi", "rdx", "rcx", "r11", "memory");
    printf("handled=%d tgkill=%ld\n", handled, r);
    return handled == 1 && r == 0 ? 0 : 1;
}
