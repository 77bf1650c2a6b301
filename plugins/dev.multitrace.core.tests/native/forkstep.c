// cflags: -no-pie
/*
 * Step-over-fork target. argv[1] picks the raw syscall at at_fork: "fork" (57), "vfork" (58) or
 * "thread" (56, clone of a thread on its own stack). The child is pure assembly right after
 * after_fork: a fork/vfork child exits 5 (exit_group), a thread sets thread_ran and exits alone.
 * The parent checks the child: exit status 5, or thread_ran set; prints "child=N" and exits 0.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

volatile int thread_ran;
static char thread_stack[65536] __attribute__((aligned(16)));

static long raw_fork(long nr, long flags, void *stack) {
    long r;
    register long r10 __asm__("r10") = 0;
    register long r8 __asm__("r8") = 0;
    __asm__ volatile(
        ".globl at_fork\n"
        "at_fork:\n\t"
        "syscall\n"
        ".globl after_fork\n"
        "after_fork:\n\t"
        "test %%rax, %%rax\n\t"
        "jnz 1f\n\t"
        "movl $1, thread_ran(%%rip)\n\t"
        "test %%rsi, %%rsi\n\t"
        "jz 2f\n\t"
        "xor %%edi, %%edi\n\t"
        "mov $60, %%eax\n\t" /* a thread: exit only itself */
        "syscall\n"
        "2:\n\t"
        "mov $5, %%edi\n\t"
        "mov $231, %%eax\n\t" /* a process: exit_group(5) */
        "syscall\n"
        "1:\n"
        : "=a"(r) : "0"(nr), "D"(flags), "S"(stack), "d"(0L), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return r;
}

int main(int argc, char **argv) {
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "thread") == 0) {
        long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM;
        long tid = raw_fork(56, flags, thread_stack + sizeof thread_stack);
        for (int i = 0; i < 5000 && !thread_ran; i++) {
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, 0);
        }
        printf("child=%d\n", thread_ran ? 5 : -1);
        return tid > 0 && thread_ran ? 0 : 1;
    }
    long pid = raw_fork(strcmp(argv[1], "vfork") == 0 ? 58 : 57, 0, 0);
    int st = 0;
    if (pid <= 0 || waitpid(pid, &st, 0) != pid)
        return 1;
    printf("child=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    return WIFEXITED(st) && WEXITSTATUS(st) == 5 ? 0 : 1;
}
