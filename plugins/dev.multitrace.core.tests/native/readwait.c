/* Blocks in read(0); a SIGUSR1 handler (SA_RESTART) counts; prints what it read and the count. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static volatile sig_atomic_t usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }
int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    char buf[64];
    ssize_t n = read(0, buf, sizeof buf - 1);
    if (n < 0) { perror("read"); return 2; }
    buf[n] = 0;
    printf("got=%s usr1=%d\n", strtok(buf, "\n"), (int)usr1);
    fflush(stdout);
    return 0;
}
