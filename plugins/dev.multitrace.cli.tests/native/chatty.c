// A few plain system calls around a function to break in, for comparing syscall traces.
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int checkpoint(int n) {
    int twice = n * 2;
    return twice + 1;
}

int main(void) {
    const char *hello = "hello\n";
    write(1, hello, strlen(hello));
    int fd = open("/dev/null", O_RDONLY);
    char buf[8];
    read(fd, buf, sizeof buf);
    close(fd);
    int v = checkpoint(20);
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
    write(1, "bye\n", 4);
    return v == 41 ? 3 : 1;
}
