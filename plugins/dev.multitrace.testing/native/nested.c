/* Step into selection's sample: several calls on one line, so that a step into one chosen function runs the
 * others to their return; a function called on no line the tests step from.
 * Test markers in comments name lines; the tests find them by text. */
#include <stdio.h>

int inner(int x) {
    int y = x * 2; /* MARK:inner-body */
    return y;
}

int other(int x) {
    int y = x + 1; /* MARK:other-body */
    return y;
}

int outer(int a, int b) {
    int r = a * 100 + b; /* MARK:outer-body */
    return r;
}

int never(int x) {
    return -x; /* MARK:never-body */
}

int main(int argc, char **argv) {
    int r = 0; /* MARK:main-first */
    r = outer(inner(3), other(4)); /* MARK:nested-call */
    r += other(inner(r)); /* MARK:second-call */
    if (argc > 5) { /* MARK:if-argc */
        r = never(r);
    }
    printf("r=%d\n", r); /* MARK:print */
    fflush(stdout);
    return r == 1816 ? 9 : 1;
}
