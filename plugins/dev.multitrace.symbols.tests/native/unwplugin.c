// shared: -O0
// A shared library the unwinding test target loads with dlopen() (never linked to it): the link map
// must show it after the dlopen, at the address the loader chose.
int plugin_entry(int v)
{
    return v * 7;
}
