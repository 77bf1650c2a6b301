// A non-leader thread execs this program again as "execd" (which prints and exits 3): the exec'ing
// thread takes over the leader's tid, and the leader, waiting, is gone with the old image.
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char *self;

static void *run(void *arg) {
    (void)arg;
    execl("/proc/self/exe", self, "execd", (char *)0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "execd") == 0) {
        printf("execd\n");
        fflush(stdout);
        return 3;
    }
    self = argv[0];
    pthread_t t;
    pthread_create(&t, 0, run, 0);
    for (;;)
        pause();
}
