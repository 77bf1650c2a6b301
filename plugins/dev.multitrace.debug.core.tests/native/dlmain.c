// Loads libdlplugin.so from its own directory with dlopen() once main runs, calls plugin_twice(21)
// through call_plugin, unloads it, and exits with the result (42).
#include <dlfcn.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

static int call_plugin(int (*f)(int), int v)
{
    return f(v); // MARK:call-plugin the caller in the main program
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
    snprintf(path, sizeof path, "%s/libdlplugin.so", dirname(exe));
    void *h = dlopen(path, RTLD_NOW);
    if (h == NULL) {
        fprintf(stderr, "dlmain: %s\n", dlerror());
        return 101;
    }
    int (*f)(int) = (int (*)(int)) dlsym(h, "plugin_twice");
    if (f == NULL) {
        return 102;
    }
    int r = call_plugin(f, 21);
    dlclose(h);
    return r;
}
