/* Writes through a null pointer: the tracer shows the SIGSEGV with its fault address and the death. */
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

int main(void) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none); /* no core file: the death line is the same wherever cores go */
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGQUIT);
    sigprocmask(SIG_BLOCK, &s, NULL);
    *(volatile int *) 0 = 1;
    return 0;
}
