/* One call of each kind the tracer decodes beyond plain files, for a line-for-line comparison
   with strace. argv[1]: a scratch directory the test made (with a setuid file "suid"). */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/suid", dir);
    stat(path, &st);
    stat("/tmp", &st);
    struct statx sx;
    statx(AT_FDCWD, dir, AT_SYMLINK_NOFOLLOW, STATX_MODE | STATX_SIZE, &sx);

    int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    char buf[4096];
    syscall(SYS_getdents64, d, buf, sizeof buf);
    syscall(SYS_getdents64, d, buf, sizeof buf);
    fcntl(d, F_GETFD);
    fcntl(d, F_SETFD, 0);
    fcntl(d, F_GETFD);
    fcntl(d, F_DUPFD_CLOEXEC, 20);
    close(d);

    struct pollfd p[2] = {{0, POLLIN, 0}, {1, POLLOUT, 0}};
    poll(p, 2, 0);
    struct utsname u;
    uname(&u);

    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sun = {AF_UNIX, "/nonexistent/socket"};
    connect(s, (struct sockaddr *) &sun, sizeof sun);
    close(s);
    s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sin = {AF_INET, htons(9), {htonl(INADDR_LOOPBACK)}};
    sendto(s, "ping", 4, MSG_DONTWAIT, (struct sockaddr *) &sin, sizeof sin);
    close(s);
    int sv[2];
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);

    int word = 0;
    syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    struct timespec ts = {0, 1000000};
    syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0);
    nanosleep(&ts, NULL);
    clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);

    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &set);
    void *m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    madvise(m, 8192, MADV_DONTNEED);
    mprotect(m, 4096, PROT_NONE);
    munmap(m, 8192);
    syscall(999, 1, 2, 3);
    return 0;
}
