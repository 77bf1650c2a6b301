// Exits with the status given as argv[1]: the simplest target whose end the test can check.
#include <stdlib.h>

int main(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 0;
}
