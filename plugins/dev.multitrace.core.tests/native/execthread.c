/* A non-leader thread execs /bin/true: the exec'ing thread takes over the leader's tid. */
#include <pthread.h>
#include <unistd.h>
static void *run(void *arg) {
    (void)arg;
    execl("/bin/true", "true", (char *)0);
    return 0;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, 0, run, 0);
    for (;;)
        pause();
}
