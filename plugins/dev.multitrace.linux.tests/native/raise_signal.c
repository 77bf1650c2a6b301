// Sends itself the signal numbered argv[1]: under ptrace that is a signal-delivery stop.
#include <signal.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    raise(argc > 1 ? atoi(argv[1]) : SIGUSR1);
    return 0;
}
