// cflags: -mavx512f
/* The Registers view's AVX-512 group on a real program: puts the dwords 0x17000000 + i in zmm17
 * and 0x5a5a in k1, stops at the avx512-stop mark (the test's line breakpoint), then prints both
 * registers as the program sees them, so what the debugger wrote there is what it prints.
 * Runs only where the CPU has AVX-512F (the test checks first). */
#include <stdint.h>
#include <stdio.h>

int main(void) {
    uint32_t in[16], out[16];
    uint16_t kin = 0x5a5a, kout;
    for (int i = 0; i < 16; i++) {
        in[i] = 0x17000000u + i;
    }
    __asm__ volatile("vmovdqu32 %[in], %%zmm17\n\tkmovw %[kin], %%k1" : : [in] "m"(in), [kin] "m"(kin) : "xmm17", "k1");
    /* No code between these asm statements uses zmm17 or k1 (-O0, no vector code), so the stop
     * sees the values set above and the next statement reads what the debugger left there. */
    __asm__ volatile("nop"); /* MARK:avx512-stop */
    __asm__ volatile("vmovdqu32 %%zmm17, %[out]\n\tkmovw %%k1, %[kout]\n\tvzeroupper" : [out] "=m"(out), [kout] "=m"(kout));
    printf("zmm17");
    for (int i = 0; i < 16; i++) {
        printf(" %x", out[i]);
    }
    printf("\nk1 %x\n", kout);
    return 0;
}
