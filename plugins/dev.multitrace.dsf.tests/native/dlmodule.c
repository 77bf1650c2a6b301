// shared: -O0
// The library dlmodules loads with dlopen() (never linked to it).
int module_twice(int v)
{
    return v * 2;
}
