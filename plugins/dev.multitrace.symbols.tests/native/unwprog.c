// variant o2: -O2
// variant nopie: -no-pie
// variant o2_nopie: -O2 -no-pie
// variant debugframe: -O2 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables
// variant nocfi: -O2 -fno-omit-frame-pointer -fno-asynchronous-unwind-tables -fno-unwind-tables -g0
// (debugframe: CFI only in .debug_frame, as gcc emits it with -g and no unwind tables; nocfi: no CFI for
// the program's own code at all, only frame pointers.)
// Unwinding test target (no tail calls: the stack has a frame for every call in the source): the first argument picks where it stops for the debugger (gdb puts a breakpoint
// on stop_here, or catches the syscall): "nested", "recursion", "signal", "nanosleep", "read", "lib",
// "threads" (two threads blocked in read() on a pipe while main stops),
// (through our own shared library, libunwlib.so), "dlopen" (dlopen()s libunwplugin.so, prints its address,
// then waits for stdin to close). Calls are kept from being inlined or turned into tail calls so that
// every build has the same frames.
// cflags: -Wl,-rpath,$ORIGIN -Wl,--no-as-needed -lunwlib
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KEEP __attribute__((noinline, noclone))

int lib_entry(int (*callback)(int), int v);

volatile int sink;

KEEP int stop_here(int v)
{
    sink = v;
    __asm__ volatile("" ::: "memory");
    return v + 1;
}

KEEP int level3(int v)
{
    int r = stop_here(v * 2);
    sink += r;
    return r + 3;
}

KEEP int level2(int v)
{
    int r = level3(v + 1);
    sink += r;
    return r * 2;
}

KEEP int level1(int v)
{
    int r = level2(v - 1);
    sink += r;
    return r - 1;
}

KEEP int recurse(int depth)
{
    if (depth == 0) {
        int s = stop_here(depth);
        sink += s; // no tail call: gdb would show the frame it elides (from DWARF call sites), CFI cannot
        return s;
    }
    int r = recurse(depth - 1);
    sink += r;
    return r + 1;
}

KEEP void on_signal(int sig)
{
    sink += stop_here(sig);
}

KEEP int send_signal(void)
{
    signal(SIGUSR1, on_signal);
    int r = kill(getpid(), SIGUSR1);
    sink += r;
    return r;
}

KEEP int sleep_a_little(void)
{
    struct timespec ts = {0, 1000000};
    int r = nanosleep(&ts, NULL);
    sink += r;
    return r;
}

KEEP int read_stdin(void)
{
    char buf[16];
    int r = (int) read(0, buf, sizeof buf);
    sink += r;
    return r;
}

KEEP int lib_callback(int v)
{
    int r = stop_here(v);
    sink += r;
    return r;
}

// Inlined in every build (always_inline, even at -O0): gdb shows it as a frame of its own, between
// stop_here and calls_inlined ("inline"), or as the innermost frame ("inline_body": gdb stops at the
// line marked inline-stop, not the first of the body, where gdb would hide the just-entered inline frame).
static inline __attribute__((always_inline)) int add_inlined(int v)
{
    sink += v;
    sink *= 3; // inline-stop
    int r = stop_here(v + 1);
    return r + sink;
}

KEEP int calls_inlined(int v)
{
    int r = add_inlined(v * 3);
    sink += r;
    return r;
}

static int thread_pipe[2];
static pthread_barrier_t started;

KEEP int worker_wait(int id)
{
    char c;
    int r = (int) read(thread_pipe[0], &c, 1); // blocks: nobody writes
    sink += r + id;
    return r;
}

KEEP void *worker(void *arg)
{
    pthread_barrier_wait(&started);
    sink += worker_wait((int) (long) arg);
    return NULL;
}

KEEP int run_threads(void)
{
    pthread_t t[2];
    if (pipe(thread_pipe) != 0) {
        return -1;
    }
    pthread_barrier_init(&started, NULL, 3);
    for (long i = 0; i < 2; i++) {
        pthread_create(&t[i], NULL, worker, (void *) i);
    }
    pthread_barrier_wait(&started);
    struct timespec ts = {0, 300000000}; // time for both to block in read()
    nanosleep(&ts, NULL);
    int r = stop_here(2);
    close(thread_pipe[1]); // read() returns 0: the threads end
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
    }
    return r;
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "nested";
    int r = 0;
    if (strcmp(what, "nested") == 0) {
        r = level1(5);
    } else if (strcmp(what, "recursion") == 0) {
        r = recurse(6);
    } else if (strcmp(what, "signal") == 0) {
        r = send_signal();
    } else if (strcmp(what, "nanosleep") == 0) {
        r = sleep_a_little();
    } else if (strcmp(what, "read") == 0) {
        r = read_stdin();
    } else if (strcmp(what, "inline") == 0 || strcmp(what, "inline_body") == 0) {
        r = calls_inlined(3);
    } else if (strcmp(what, "threads") == 0) {
        r = run_threads();
    } else if (strcmp(what, "lib") == 0) {
        r = lib_entry(lib_callback, 4);
    } else if (strcmp(what, "dlopen") == 0) {
        void *h = dlopen(argc > 2 ? argv[2] : "libunwplugin.so", RTLD_NOW);
        if (h == NULL) {
            fprintf(stderr, "dlopen: %s\n", dlerror());
            return 2;
        }
        printf("plugin_entry=%p\n", dlsym(h, "plugin_entry"));
        fflush(stdout);
        char buf[16];
        while (read(0, buf, sizeof buf) > 0) {
        }
    }
    sink += r;
    return 0;
}
