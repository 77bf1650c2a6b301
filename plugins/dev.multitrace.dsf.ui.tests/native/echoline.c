/* The console's sample: a line on stdout and one on stderr, then echoes the lines read on stdin
 * until end of input, then exits 3. */
#include <stdio.h>
#include <string.h>

int main(void) {
    printf("echoline ready\n");
    fflush(stdout);
    fprintf(stderr, "echoline on stderr\n");
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) {
        printf("got: %s", line); /* MARK:echo */
        fflush(stdout);
    }
    return 3;
}
