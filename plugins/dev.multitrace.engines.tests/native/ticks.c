// cflags: -no-pie
/* Calls tick() 20 times; each call makes one getppid syscall. A debugger engine breaks on tick
   while the syscall tracer watches the same thread. */
#include <unistd.h>

__attribute__((noinline)) void tick(int i) {
    (void) i;
    getppid();
}

int main(void) {
    for (int i = 0; i < 20; i++) {
        tick(i);
    }
    write(1, "done\n", 5);
    return 0;
}
