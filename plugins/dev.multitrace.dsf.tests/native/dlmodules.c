// Loads libdlmodule.so from its own directory with dlopen() once main runs, calls module_twice(21)
// through call_module, and exits with the result (42): the Modules service must announce the library.
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

static int call_module(int (*f)(int), int v)
{
    return f(v); // MARK:call-module the library is loaded here
}

int main(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0) {
        return 100;
    }
    exe[n] = 0;
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/libdlmodule.so", dirname(exe));
    void *h = dlopen(path, RTLD_NOW);
    if (h == NULL) {
        fprintf(stderr, "dlmodules: %s\n", dlerror());
        return 101;
    }
    int (*f)(int) = (int (*)(int)) dlsym(h, "module_twice");
    if (f == NULL) {
        return 102;
    }
    return call_module(f, 21);
}
