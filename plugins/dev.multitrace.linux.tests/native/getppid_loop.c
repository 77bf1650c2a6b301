// Calls getppid() three times (a syscall nothing else in startup makes) and exits 42 if
// the last call answered 123456, else 3: a tracer that rewrites rax at the syscall-exit
// stop changes the exit status.
#include <sys/syscall.h>
#include <unistd.h>

#define MAGIC 123456

int main(void) {
    long r = 0;
    for (int i = 0; i < 3; i++) {
        r = syscall(SYS_getppid);
    }
    return r == MAGIC ? 42 : 3;
}
