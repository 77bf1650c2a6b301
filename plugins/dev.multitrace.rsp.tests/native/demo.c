// The gdb session target: functions to break in and step through, a global to change, a
// SIGUSR1 handler, and a "spin" mode that runs until it is interrupted or signalled.
// variant nopie: -no-pie
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

volatile int counter = 0;
volatile int got_usr1 = 0;
int factor = 3;
volatile int squares = 0;

static void on_usr1(int sig) {
    got_usr1++;
    printf("handler got signal %d\n", sig);
}

int square(int x) {
    int r = x * x;
    squares++;
    return r;
}

int compute(int n) {
    int total = 0;
    for (int i = 0; i < n; i++) {
        total += square(i) * factor;
    }
    return total;
}

int main(int argc, char **argv) {
    signal(SIGUSR1, on_usr1);
    if (argc > 1 && strcmp(argv[1], "spin") == 0) {
        while (!got_usr1) {
            counter++;
            usleep(1000);
        }
    }
    int result = compute(4);
    printf("result=%d factor=%d usr1=%d\n", result, factor, got_usr1);
    fflush(stdout);
    return result & 0xff;
}
