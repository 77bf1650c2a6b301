/* Deterministic file, pipe and signal syscalls for comparing the tracer with strace.
   argv[1]: a file to read (the test writes binary and long content into it). Exits with 3. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void on_usr1(int sig) { (void) sig; }

int main(int argc, char **argv) {
    char buf[100];
    int p[2];
    struct sigaction sa;
    write(1, "hello \"quoted\"\t\\\n", 17);
    open("/nonexistent/dir/file", O_RDONLY);
    int fd = open(argc > 1 ? argv[1] : "/etc/hostname", O_RDONLY | O_CLOEXEC);
    read(fd, buf, sizeof buf);
    lseek(fd, 2, SEEK_SET);
    read(fd, buf, 5);
    pread(fd, buf, 4, 1);
    close(fd);
    close(fd);
    int w = open("/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0640);
    write(w, "\001\002\003x7\377", 6);
    dup2(w, 9);
    close(9);
    close(w);
    pipe2(p, O_CLOEXEC);
    write(p[1], "through the pipe", 16);
    read(p[0], buf, sizeof buf);
    access("/", R_OK | X_OK);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    kill(getpid(), SIGUSR1);
    umask(022);
    return 3;
}
