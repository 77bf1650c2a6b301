/* Calls getppid() N times (argv[1], default 1000) and prints the last result. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000;
    long r = 0;
    for (long i = 0; i < n; i++)
        r = getppid();
    printf("ppid=%ld\n", r);
    return 0;
}
