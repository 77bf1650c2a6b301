/* Issue 15's newcomer program: two threads call work() from a loop; the test puts a line breakpoint
 * in work() and terminates at it, or just after resuming from it (while the breakpoint is being
 * stepped over and the other thread runs). main first naps, a call long enough to terminate
 * during a step over it. Ends by itself after 60 s so a failed test never leaves it behind for long. */
#include <pthread.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long calls;

__attribute__((noinline)) static void work(int n)
{
    calls += n;                                      /* LINE:work */
}

static void *worker(void *arg)
{
    (void) arg;
    for (;;) {
        work(1);
        usleep(100);
    }
    return NULL;
}

int main(void)
{
    pthread_t t;
    usleep(500000);                                  /* LINE:nap */
    pthread_create(&t, NULL, worker, NULL);          /* LINE:create */
    time_t end = time(NULL) + 60;
    while (time(NULL) < end) {
        work(2);
        usleep(100);
    }
    return 0;
}
