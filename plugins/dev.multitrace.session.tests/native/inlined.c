/* The debug model's sample for inlined functions: main calls scaled(), which is always inlined (also at -O0),
 * so a stop inside its body shows an inlined frame above main's, as gdb shows it.
 * Test markers in comments name lines; the tests find them by text. */
#include <stdio.h>

volatile int sink;

static inline __attribute__((always_inline)) int scaled(int v) {
    sink += v;
    sink *= 3; /* MARK:inline-body */
    return sink;
}

int main(void) {
    int r = scaled(4); /* MARK:inline-call */
    printf("r=%d\n", r);
    fflush(stdout);
    return r == 12 ? 5 : 1;
}
