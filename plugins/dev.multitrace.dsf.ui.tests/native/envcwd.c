/* Prints what a launch configuration gives a program besides its arguments: its working directory and one
 * variable of its environment. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    char cwd[PATH_MAX];
    const char *greeting = getenv("MULTITRACE_GREETING");
    printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    printf("MULTITRACE_GREETING=%s\n", greeting ? greeting : "(unset)");
    printf("HOME set=%d\n", getenv("HOME") != NULL);
    fflush(stdout);
    return 0;
}
