// Sleeps two seconds in one system call (long enough to be interrupted), then says so and exits.
#include <time.h>
#include <unistd.h>

int main(void) {
    struct timespec ts = {2, 0};
    nanosleep(&ts, NULL);
    write(1, "woke\n", 5);
    return 0;
}
