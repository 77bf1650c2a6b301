/* Exits 0 unless it ever receives SIGTRAP (a stray trap from someone's step). */
#include <signal.h>
#include <unistd.h>
static volatile sig_atomic_t traps;
static void on_trap(int sig) { (void)sig; traps++; }
int main(void) {
    signal(SIGTRAP, on_trap);
    volatile long x = 0;
    for (int i = 0; i < 200; i++)
        x += i * 3;
    getppid();
    return traps ? 99 : 0;
}
