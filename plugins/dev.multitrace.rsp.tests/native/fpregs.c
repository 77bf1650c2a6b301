// FP register writes through gdb: at the label fp_stop the program has 0.25 on the x87 stack
// and zero in xmm0; right after it reads both back and prints them, so what gdb wrote there is
// what the program sees.
#include <stdio.h>

int main(void) {
    double quarter = 0.25;
    int word;
    long double top;
    __asm__ volatile(
        "fldl %2\n\t"
        "pxor %%xmm0, %%xmm0\n\t"
        ".globl fp_stop\n"
        "fp_stop:\n\t"
        "nop\n\t"
        "movd %%xmm0, %0\n\t"
        "fstpt %1\n\t"
        : "=r"(word), "=m"(top)
        : "m"(quarter)
        : "xmm0");
    printf("xmm0=%d st0=%g\n", word, (double) top);
    return 0;
}
