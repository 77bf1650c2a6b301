/* Ends by SIGKILL from itself: the tracer prints "+++ killed by SIGKILL +++". */
#include <signal.h>
#include <unistd.h>

int main(void) {
    write(1, "bye\n", 4);
    kill(getpid(), SIGKILL);
    return 0;
}
