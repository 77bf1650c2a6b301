/* Seed 001: stopped, single-stepped once, detached: must run on and exit with its own status. */
int main(void) {
    volatile int x = 0;
    for (int i = 0; i < 1000; i++)
        x += i;
    return 0x23;
}
