// variant o2: -O2
// variant nopie: -no-pie
// variant o2_nopie: -O2 -no-pie
// variant dwarf4: -gdwarf-4
// variant o2_dwarf4: -O2 -gdwarf-4 -no-pie
// Probe test target (multitrace probe against gdb): walk() goes down a list of items and visit()s each;
// the items cover what gdb prints (a struct with a bit field, an enum, a union, a function pointer,
// an array, strings), and there is a thread-local, a static local and a function inlined into walk().
// It prints nothing, and exits with 3, so that a probe's exit code can be checked.
// Arguments: ROUNDS (walks of the list, default 2), PAUSE_US (a sleep after each walk, for attaching).
#include <stdlib.h>
#include <unistd.h>

#define KEEP __attribute__((noinline, noclone))

enum shape { CIRCLE, SQUARE = 4, TRIANGLE };

struct bits {
    unsigned int on : 1;
    unsigned int level : 3;
    int delta : 5;
};

union word {
    int i;
    float f;
    unsigned char b[4];
};

struct item {
    int id;
    const char *label;
    struct item *next;
    double weight;
    struct bits flags;
    enum shape shape;
    union word w;
    int (*score)(int);
    short hist[4];
};

__thread int tls_hits = 7;
int total;
struct item items[3];
const char *greeting = "hello, probe";
char title[16] = "probeprog";

KEEP static int twice(int x) {
    return 2 * x;
}

KEEP static int square(int x) {
    return x * x;
}

static inline __attribute__((always_inline)) int scaled(int v, int k) {
    int product = v * k;
    total += product; // MARK:inlined (a line of the inlined function)
    return product;
}

KEEP int visit(struct item *it, int depth) {
    static int visits;
    int score = it->score(it->id) + depth;
    visits++;
    tls_hits += depth;
    double ratio = it->weight / (depth + 1);
    const char *name = it->label;
    total += score; // MARK:visit (after every local is set)
    return score + (int) ratio + (name[0] == 'x');
}

KEEP long walk(struct item *head, int limit) {
    long sum = 0;
    int steps = 0;
    for (struct item *p = head; p && steps < limit; p = p->next) {
        int s = scaled(p->id, limit);
        sum += visit(p, steps) + s; // MARK:walk (in the loop, after the inlined call)
        steps++;
    }
    return sum;
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 2;
    int pause_us = argc > 2 ? atoi(argv[2]) : 0;
    static const char *labels[] = {"first", "second", "xthird"};
    for (int i = 0; i < 3; i++) {
        items[i].id = 10 * (i + 1);
        items[i].label = labels[i];
        items[i].next = i < 2 ? &items[i + 1] : NULL;
        items[i].weight = 1.5 * (i + 1);
        items[i].flags.on = i & 1;
        items[i].flags.level = i + 2;
        items[i].flags.delta = -3 * i;
        items[i].shape = i == 0 ? CIRCLE : i == 1 ? SQUARE : TRIANGLE;
        items[i].w.i = 0x41424344 + i;
        items[i].score = i == 1 ? square : twice;
        for (int k = 0; k < 4; k++) {
            items[i].hist[k] = (short) (i * 100 - k);
        }
    }
    long result = 0;
    for (int r = 0; r < rounds; r++) {
        result += walk(&items[0], 3);
        if (pause_us > 0) {
            usleep(pause_us);
        }
    }
    return result > 0 ? 3 : 4;
}
