// shared: -O2
// Our own shared library for the unwinding tests: a call from the program into the library and back
// into the program (lib_entry -> lib_inner -> the program's callback).
#define KEEP __attribute__((noinline, noclone))

volatile int lib_sink;

KEEP static int lib_inner(int (*callback)(int), int v)
{
    int r = callback(v + 1);
    lib_sink += r;
    return r + 1;
}

KEEP int lib_entry(int (*callback)(int), int v)
{
    int r = lib_inner(callback, v * 2);
    lib_sink += r;
    return r * 3;
}
