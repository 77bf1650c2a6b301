/* Two threads block in read on a pipe nobody writes; main exits with 4 while they wait:
   the tracer shows their reads cut short (= ?) and every thread's exit. */
#include <pthread.h>
#include <unistd.h>

static int fds[2];

static void *reader(void *arg) {
    char c;
    (void) arg;
    read(fds[0], &c, 1);
    return NULL;
}

int main(void) {
    pthread_t t[2];
    pipe(fds);
    for (int i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, reader, NULL);
    }
    usleep(100000);
    _exit(4);
}
