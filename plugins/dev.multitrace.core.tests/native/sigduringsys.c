/* Loops in getppid() until SIGUSR1 arrives; exits 0 if it did, 1 after 10 s without it. */
#include <signal.h>
#include <time.h>
#include <unistd.h>
static volatile sig_atomic_t got;
static void on_usr1(int sig) { (void)sig; got = 1; }
int main(void) {
    signal(SIGUSR1, on_usr1);
    time_t end = time(0) + 10;
    while (!got && time(0) < end)
        getppid();
    return got ? 0 : 1;
}
