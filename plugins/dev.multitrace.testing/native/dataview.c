/* The sample of source-level data (issue 13): locals of several C types, a struct, arrays (one longer
 * than a Variables-view chunk of 100), a pointer chain, an enum, bit fields, a function-static local and
 * globals. It prints what the debugger may have changed, so a test sees an assignment take effect.
 * Test markers in comments name lines; the tests find them by text. */
#include <stdio.h>

enum color { RED, GREEN = 5, BLUE };

struct flags {
    unsigned ready : 1;
    unsigned level : 3;
    int sign : 4;
};

struct node {
    int count;
    const char *name;
    struct node *next;
};

struct point {
    int x;
    int y;
};

int global_counter = 42;
struct node chain[3];
int big[250];

static int tick(struct node *p, int flag) {
    static int calls; /* a function-static local */
    calls++; /* MARK:tick-body */
    p->count += 1;
    return calls + flag;
}

int main(void) {
    struct point origin = {3, -4};
    int numbers[5] = {10, 20, 30, 40, 50};
    enum color shade = BLUE;
    struct flags f = {1, 5, -3};
    double ratio = 0.5;
    char word[8] = "hello";
    static const char *names[3] = {"zero", "one", "two"};
    for (int i = 0; i < 3; i++) {
        chain[i].count = i * 10;
        chain[i].name = names[i];
        chain[i].next = i < 2 ? &chain[i + 1] : NULL;
    }
    for (int i = 0; i < 250; i++) {
        big[i] = i;
    }
    struct node *head = &chain[0];
    int *bad = (int *)16; /* a pointer into unmapped memory */
    int total = 0; /* MARK:ready */
    for (int round = 0; round < 10; round++) {
        total += tick(head->next, round & 1); /* MARK:call */
    }
    printf("total=%d count=%d origin=%d,%d numbers[2]=%d global=%d shade=%d level=%u ratio=%g word=%s bad=%p\n", total,
            chain[1].count, origin.x, origin.y, numbers[2], global_counter, (int)shade, f.level, ratio, word,
            (void *)bad); /* MARK:print */
    fflush(stdout);
    return 0;
}
