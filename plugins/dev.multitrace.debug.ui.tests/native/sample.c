/* The UI tests' debuggee: lines to step over, a loop to break in, a SIGUSR1 handler, its own exit code.
 * The tests find lines by the "LINE:" markers, never by number, so this file can be edited freely. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count;
/* Known bytes for the Memory view test (78 56 34 12 in memory). */
volatile unsigned int counter = 0x12345678;

static void on_usr1(int sig)
{
    (void) sig;
    usr1_count++;
    static const char msg[] = "sample: SIGUSR1 handler ran\n";
    write(1, msg, sizeof msg - 1);
}

static int square(int x)
{
    return x * x;
}

int main(void)
{
    int total = 0;                                   /* LINE:main-first */
    signal(SIGUSR1, on_usr1);                        /* LINE:step-1 */
    setvbuf(stdout, NULL, _IONBF, 0);                /* LINE:step-2 */
    total += 1;                                      /* LINE:step-3 */
    for (int i = 0; i < 5; i++) {
        total += square(i);                          /* LINE:loop-body */
    }
    printf("sample: total %d\n", total);             /* LINE:after-loop */
    printf("sample: usr1 %d\n", (int) usr1_count);
    return usr1_count > 0 ? 42 : 41;                 /* LINE:exit */
}
