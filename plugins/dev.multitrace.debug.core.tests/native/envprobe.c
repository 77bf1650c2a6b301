// Prints what a launch configuration gives a program: its arguments, one environment variable,
// whether HOME is set (not when the configuration replaces the environment), and its working
// directory. Exits with its argument count.
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        printf("argv[%d]=%s\n", i, argv[i]);
    }
    const char *probe = getenv("MULTITRACE_PROBE");
    printf("probe=%s\n", probe ? probe : "(unset)");
    printf("home=%s\n", getenv("HOME") ? "set" : "unset");
    char cwd[4096];
    printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "(unknown)");
    return argc - 1;
}
