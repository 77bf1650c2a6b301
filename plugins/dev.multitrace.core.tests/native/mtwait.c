/* Three threads plus main, all waiting; prints "ready" once they exist, then waits on stdin. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *idle(void *arg) {
    (void)arg;
    for (;;)
        pause();
    return 0;
}
int main(void) {
    pthread_t t;
    for (int i = 0; i < 3; i++)
        pthread_create(&t, 0, idle, 0);
    printf("ready\n");
    fflush(stdout);
    char c;
    while (read(0, &c, 1) == 1)
        ;
    return 0;
}
