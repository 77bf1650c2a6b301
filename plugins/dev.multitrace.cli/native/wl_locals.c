/* The "locals" workload: a program linked against libc (whose debug info is under /usr/lib/debug on
 * these machines), stopped once in report(), whose locals are then shown: a struct, an array, a string,
 * a pointer into libc (stdout). It prints one line and exits 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sample {
    int id;
    double mean;
    const char *name;
};

static int cmp(const void *a, const void *b) {
    return *(const int *)a - *(const int *)b;
}

__attribute__((noinline)) int report(struct sample *s, int n) {
    int sorted[8] = {5, 3, 8, 1, 9, 2, 7, 4};
    char label[16];
    FILE *to = stdout;
    qsort(sorted, 8, sizeof sorted[0], cmp);
    snprintf(label, sizeof label, "%s-%d", s->name, n);
    double spread = s->mean * sorted[7];
    fprintf(to, "%s %d %.1f\n", label, sorted[0], spread);
    return (int) spread;
}

int main(void) {
    struct sample s = {7, 2.5, "wl"};
    return report(&s, 3) > 0 ? 0 : 1;
}
