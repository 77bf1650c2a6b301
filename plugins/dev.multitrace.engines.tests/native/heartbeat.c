/* Runs until killed: every 10 ms appends a byte to argv[1] (the test watches it grow) and asks
   for its parent's pid (a syscall a tracer sees). */
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    int fd = open(argc > 1 ? argv[1] : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
    struct timespec ts = {0, 10000000L};
    for (;;) {
        write(fd, ".", 1);
        getppid();
        nanosleep(&ts, NULL);
    }
}
