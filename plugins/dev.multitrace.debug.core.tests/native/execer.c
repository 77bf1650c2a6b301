// Replaces itself with the program argv[1] (arguments after it passed on): after the exec the
// debugger must have the new image's symbols and follow its dynamic linker.
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: execer PROGRAM [ARG...]\n");
        return 100;
    }
    execv(argv[1], argv + 1);
    perror("execer: execv");
    return 101;
}
