/* PKRU as a real program sees it, for XStateTest and the gdb test: sets PKRU to 0xc (key 1
 * access- and write-disabled; key 0, which all ordinary memory has, stays accessible), stops
 * (an int3 with argument "trap", else the instruction at pkru_stop, where gdb puts a breakpoint),
 * then prints PKRU. rdpkru/wrpkru fault without OS support for protection keys: the tests run it
 * only where /proc/cpuinfo has ospke. Written as bytes: the assembler may predate the mnemonics. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    int trap = argc > 1 && strcmp(argv[1], "trap") == 0;
    unsigned pkru = 0xc, ecx = 0, edx = 0;
    __asm__ volatile(
        ".byte 0x0f, 0x01, 0xef\n\t" /* wrpkru: PKRU = eax (ecx = edx = 0) */
        "test %[trap], %[trap]\n\t"
        "jz 1f\n\t"
        "int3\n"
        "1:\n\t"
        ".globl pkru_stop\n"
        "pkru_stop:\n\t"
        "nop\n\t"
        "xor %%ecx, %%ecx\n\t"
        ".byte 0x0f, 0x01, 0xee\n\t" /* rdpkru: eax = PKRU (ecx = 0), edx = 0 */
        : "+a"(pkru), "+c"(ecx), "+d"(edx)
        : [trap] "r"(trap)
        : "memory");
    printf("pkru %x\n", pkru);
    return 0;
}
