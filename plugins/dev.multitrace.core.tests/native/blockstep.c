// cflags: -no-pie
/*
 * Block-step target: a labelled loop. From bs_start, a block step (x86 BTF) stops only at the
 * targets of taken branches: bs_top twice (the jnz taken), then bs_target (the jmp); bs_skipped
 * is never executed.
 */
__attribute__((noinline)) void loop(void) {
    __asm__ volatile(
        ".globl bs_begin\n"
        "bs_begin:\n\t"
        "nop\n"
        ".globl bs_start\n"
        "bs_start:\n\t"
        "mov $3, %%ecx\n"
        ".globl bs_top\n"
        "bs_top:\n\t"
        "dec %%ecx\n"
        ".globl bs_jnz\n"
        "bs_jnz:\n\t"
        "jnz bs_top\n"
        ".globl bs_after\n"
        "bs_after:\n\t"
        "jmp bs_target\n"
        ".globl bs_skipped\n"
        "bs_skipped:\n\t"
        "ud2\n"
        ".globl bs_target\n"
        "bs_target:\n\t"
        "nop\n"
        ::: "rcx", "cc");
}
int main(void) {
    loop();
    return 0;
}
