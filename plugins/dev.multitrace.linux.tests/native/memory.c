// Reports, on one stdout line, the addresses of: a global with known bytes, a function
// in read-only text, and the first byte of an unmapped page that directly follows a
// mapped one (filled with 0xab). Then waits for stdin to close and exits with answer(),
// which is 1 unless a test has rewritten its code.
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

volatile unsigned long long marker = 0x1122334455667788ULL;

int answer(void) {
    return 1;
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return 100;
    }
    memset(p, 0xab, page);
    if (munmap(p + page, page) != 0) {
        return 101;
    }
    printf("%p %p %p\n", (void *)&marker, (void *)answer, (void *)(p + page));
    fflush(stdout);
    char c;
    while (read(0, &c, 1) > 0) {
    }
    return answer();
}
