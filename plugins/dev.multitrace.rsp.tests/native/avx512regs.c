// cflags: -mavx512f
/* AVX-512 register reads and writes through gdb: at avx512_stop zmm17 holds the dwords
 * 0x17000000 + i and k1 is 0x5a5a; right after, the program stores both and prints them, so what
 * gdb wrote there is what it sees. Runs only where the CPU has AVX-512F (the test checks first). */
#include <stdint.h>
#include <stdio.h>

int main(void) {
    uint32_t in[16], out[16];
    uint16_t kin = 0x5a5a, kout;
    for (int i = 0; i < 16; i++) {
        in[i] = 0x17000000u + i;
    }
    /* One asm block: no compiler code between setting the registers, the stop and reading them. */
    __asm__ volatile(
        "vmovdqu32 %[in], %%zmm17\n\t"
        "kmovw %[kin], %%k1\n\t"
        ".globl avx512_stop\n"
        "avx512_stop:\n\t"
        "nop\n\t"
        "vmovdqu32 %%zmm17, %[out]\n\t"
        "kmovw %%k1, %[kout]\n\t"
        "vzeroupper\n\t"
        : [out] "=m"(out), [kout] "=m"(kout)
        : [in] "m"(in), [kin] "m"(kin)
        : "xmm17", "k1");
    printf("zmm17");
    for (int i = 0; i < 16; i++) {
        printf(" %x", out[i]);
    }
    printf("\nk1 %x\n", kout);
    return 0;
}
