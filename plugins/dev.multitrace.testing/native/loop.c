/* The debug model's sample: a loop calling a function, a SIGUSR1 handler, its own exit code.
 * Test markers in comments name lines; the tests find them by text. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int counter;
static volatile sig_atomic_t usr1;

static void on_usr1(int sig) {
    (void)sig;
    usr1++;
    const char msg[] = "handler ran: SIGUSR1\n";
    write(1, msg, sizeof msg - 1); /* MARK:handler */
}

static int square(int x) {
    int y = x * x; /* MARK:square-body */
    return y;
}

int main(void) {
    signal(SIGUSR1, on_usr1); /* MARK:main-first */
    int total = 0; /* MARK:after-signal */
    for (int i = 0; i < 5; i++) { /* MARK:for */
        total += square(i); /* MARK:loop-call */
        counter++; /* MARK:loop-count */
    }
    printf("total=%d usr1=%d counter=%d\n", total, (int)usr1, counter); /* MARK:print */
    fflush(stdout);
    return 7;
}
