/* Calls strlen, a C library function the dynamic linker binds to this CPU's implementation (an ifunc: the
 * symbol names a resolver; the PLT slot gets __strlen_avx2, __strlen_evex...): a step into the call enters
 * that implementation as gdb's step does, the first call (bound lazily) and the second (bound). Test markers
 * in comments name lines; the tests find them by text. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *s = argc > 5 ? argv[0] : "hello world"; /* MARK:first */
    size_t n = strlen(s); /* MARK:call */
    size_t m = strlen(s + 1); /* MARK:again */
    printf("%zu %zu\n", n, m); /* MARK:print */
    return 0;
}
