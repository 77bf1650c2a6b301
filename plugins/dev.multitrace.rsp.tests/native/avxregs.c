// AVX register writes through gdb: at avx_stop ymm0 is all zeros; right after, the program
// reads the upper half of ymm0 back and prints it, so what gdb wrote there is what it sees.
// Runs only where the CPU has AVX (the test checks first).
#include <stdio.h>

int main(void) {
    unsigned int high[4];
    __asm__ volatile(
        "vxorps %%ymm0, %%ymm0, %%ymm0\n\t"
        ".globl avx_stop\n"
        "avx_stop:\n\t"
        "nop\n\t"
        "vextractf128 $1, %%ymm0, %0\n\t"
        "vzeroupper\n\t"
        : "=m"(high)
        :
        : "xmm0");
    printf("ymm0 high=%u %u %u %u\n", high[0], high[1], high[2], high[3]);
    return 0;
}
