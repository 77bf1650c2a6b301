// cflags: -mavx512f
/* The AVX-512 state as a real program sees it, for XStateTest: prints what CPUID leaf 0xD says of
 * the XSAVE layout, puts known values in zmm3, zmm17 and k1, stops at an int3 (the test reads
 * and rewrites the registers there through the regset), then prints the three registers as the
 * program sees them afterwards. Runs only where the CPU has AVX-512F (the test checks first). */
#include <cpuid.h>
#include <stdint.h>
#include <stdio.h>

static void print(const char *name, const uint32_t *v) {
    printf("%s", name);
    for (int i = 0; i < 16; i++) {
        printf(" %x", v[i]);
    }
    printf("\n");
}

int main(void) {
    unsigned a, b, c, d;
    __cpuid_count(0xd, 0, a, b, c, d);
    printf("size %u\n", b); /* the standard-format size for the features enabled in XCR0 */
    static const int components[] = {2, 5, 6, 7, 9};
    for (int i = 0; i < 5; i++) {
        __cpuid_count(0xd, components[i], a, b, c, d);
        printf("component %d size %u offset %u\n", components[i], a, b);
    }
    fflush(stdout);
    uint32_t in3[16], in17[16], out3[16], out17[16];
    uint16_t k1in = 0x5a5a, k1out;
    for (int i = 0; i < 16; i++) {
        in3[i] = 0x33000000u + i;
        in17[i] = 0x17000000u + i;
    }
    /* One asm block: no compiler code between setting the registers, the stop and reading them. */
    __asm__ volatile(
        "vmovdqu32 %[in3], %%zmm3\n\t"
        "vmovdqu32 %[in17], %%zmm17\n\t"
        "kmovw %[k1in], %%k1\n\t"
        "int3\n\t"
        "vmovdqu32 %%zmm3, %[out3]\n\t"
        "vmovdqu32 %%zmm17, %[out17]\n\t"
        "kmovw %%k1, %[k1out]\n\t"
        "vzeroupper\n\t"
        : [out3] "=m"(out3), [out17] "=m"(out17), [k1out] "=m"(k1out)
        : [in3] "m"(in3), [in17] "m"(in17), [k1in] "m"(k1in)
        : "xmm3", "xmm17", "k1");
    print("zmm3", out3);
    print("zmm17", out17);
    printf("k1 %x\n", k1out);
    return 0;
}
