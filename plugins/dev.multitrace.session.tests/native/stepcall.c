// cflags: -lsteplib -Wl,-rpath,$ORIGIN
/* Calls a function of its own shared library (steplib.c) through the PLT: a step into it enters the library's
 * function as gdb's step does. Test markers in comments name lines; the tests find them by text. */
#include <stdio.h>

int lib_twice(int x);

int main(void) {
    int a = 20; /* MARK:first */
    int b = lib_twice(a); /* MARK:call */
    printf("%d\n", b); /* MARK:print */
    return 0;
}
