// Two threads and main spin until a SIGUSR1 ends them (non-stop Ctrl-C: only one of them stops).
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t stop;
volatile long spins[2];

static void on_usr1(int sig) {
    (void)sig;
    stop = 1;
}

static void *spinner(void *arg) {
    int id = (int)(long)arg;
    while (!stop) {
        spins[id]++;
        usleep(1000);
    }
    return NULL;
}

int main(void) {
    signal(SIGUSR1, on_usr1);
    pthread_t t[2];
    for (long i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, spinner, (void *)i);
    }
    while (!stop) {
        usleep(1000);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
    }
    printf("spinners stopped\n");
    fflush(stdout);
    return 0;
}
