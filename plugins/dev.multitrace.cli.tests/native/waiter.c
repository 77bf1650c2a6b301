// Says "ready", then waits (up to 30 s) until release_me is set by a debugger or argv asks to go on.
#include <stdio.h>
#include <unistd.h>

volatile int release_me = 0;

int finish(int code) {
    printf("released\n");
    return code;
}

int main(int argc, char **argv) {
    if (argc > 1) {
        release_me = 1;
    }
    printf("ready\n");
    fflush(stdout);
    for (int i = 0; i < 3000 && !release_me; i++) {
        usleep(10000);
    }
    return finish(release_me ? 4 : 9);
}
