// Benchmark workload "memory": MIB mebibytes of touched (resident) memory; prints its address
// in hex and waits to be read and killed.
// usage: wl_memory MIB
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s MIB\n", argv[0]);
        return 2;
    }
    size_t len = (size_t) atol(argv[1]) << 20;
    char *p = malloc(len);
    if (!p) {
        perror("malloc");
        return 1;
    }
    for (size_t i = 0; i < len; i++) {
        p[i] = (char) i;
    }
    printf("%lx\n", (unsigned long) p);
    fflush(stdout);
    for (;;) {
        pause();
    }
}
