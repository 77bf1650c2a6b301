/* Installs handlers for SIGUSR1 and SIGUSR2, raises SIGUSR1 then SIGTERM, and prints what arrived. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
static volatile sig_atomic_t usr1, usr2;
static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_usr2(int sig) { (void)sig; usr2++; }
int main(void) {
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, on_usr2);
    raise(SIGUSR1);
    raise(SIGTERM); /* default action: terminate, unless an engine says otherwise */
    printf("usr1=%d usr2=%d survived\n", (int)usr1, (int)usr2);
    fflush(stdout);
    return 0;
}
