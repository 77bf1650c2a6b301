/* Makes a system call per line of input: the syscall tracer has something to trace while the
 * debugger holds the same thread. Reads lines from stdin, echoes them, exits 0 once "quit" arrived. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    char buf[256];
    ssize_t n;
    while ((n = read(0, buf, sizeof buf - 1)) > 0) {
        buf[n] = 0;
        write(1, buf, (size_t)n); /* MARK:echo */
        if (strstr(buf, "quit") != NULL) {
            return 0;
        }
    }
    return 3;
}
