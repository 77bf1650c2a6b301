// shared: -O0
// A library that the dlmain sample loads with dlopen() at run time (it is never linked to it): a
// breakpoint set in it before the dlopen must be planted when the loader maps it, and hit.
int plugin_twice(int v)
{
    int r = v * 2; // MARK:plugin-body where "break plugin_twice" stops
    return r;
}
