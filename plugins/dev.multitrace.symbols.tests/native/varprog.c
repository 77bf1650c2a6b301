// variant o2: -O2
// variant dwarf4: -gdwarf-4 -no-pie
// variant o2_dwarf4: -O2 -gdwarf-4
// Source-level data test target (types, variables, values, expressions): the debugger stops in
// stop_here(), called from functions whose locals, arguments, globals and statics cover the C types
// gdb prints (structs with bit fields, unions, enums, arrays, function pointers, strings, floats), and
// (stop 4) from a function inlined at -O2, (stop 5) with a variable-length array.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEEP __attribute__((noinline, noclone))

enum color { RED, GREEN = 5, BLUE };

struct flags {
    unsigned int ready : 1;
    unsigned int mode : 3;
    int level : 4;
    unsigned char tag;
};

struct node {
    int value;
    struct node *next;
    char name[8];
};

union num {
    int i;
    float f;
    unsigned char bytes[4];
};

typedef struct node node_t;
typedef int (*binop)(int, char *);

struct all {
    char c;
    signed char sc;
    unsigned char uc;
    short s;
    unsigned short us;
    long l;
    unsigned long long ull;
    _Bool b;
    float f;
    double d;
    enum color col;
    struct flags fl;
    union num u;
    int grid[3][4];
    char (*rowp)[8];
    binop fn;
    const char *str;
    volatile int vi;
    node_t *head;
};

int counter = 42;
static int file_static = -7;
char buf[32] = "global buffer";
int zeros[16];
int mixed[12] = {1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
double dvals[3] = {1.5, 3.14, -0.001};
float fvals[2] = {3.14f, 1e10f};
struct node nodes[3];
const char *names[] = {"alpha", "beta", 0};
enum color favourite = BLUE;
long long big = -1234567890123LL;
unsigned int flag_bits = 0xdeadbeef;
char rows[2][8] = {"row0", "row1"};

// Less common types: a flexible array member, anonymous members, 128-bit and complex numbers.
struct packet {
    int len;
    char data[];
};
struct anon {
    int kind;
    union {
        int i;
        float f;
    };
    struct {
        short lo, hi;
    } half;
};
static char storage[16] = {3, 0, 0, 0, 'a', 'b', 'c'};
struct packet *pkt = (struct packet *) storage;
struct anon an = {2, {.i = 7}, {1, -2}};
__int128 i128 = -5;
unsigned __int128 u128 = (unsigned __int128) 1 << 100;
_Complex double cd = 1.5 + 2.5i;
long double ld = 3.25L;
_Bool bools[4] = {1, 0, 1, 1};
const char *const cpc = "x";
const char *const *pp = &cpc;
enum neg { MINUS = -2, ZERO, PLUS } nv = MINUS;
int ramp[300];
char longtext[300];
enum perm { P_READ = 1, P_WRITE = 2, P_EXEC = 4 } perms = P_READ | P_EXEC;
__thread int tls_counter = 5;
__thread char tls_name[8] = "tls";

volatile int sink;

KEEP int add_len(int a, char *s)
{
    return a + (int) strlen(s);
}

KEEP void stop_here(int where)
{
    sink = where;
}

KEEP int fill(struct all *a, int seed)
{
    static int calls;
    calls++;
    tls_counter += seed;
    a->c = 'A';
    a->sc = -5;
    a->uc = 200;
    a->s = -300;
    a->us = 60000;
    a->l = -100000L * seed;
    a->ull = 18446744073709551615ULL;
    a->b = 1;
    a->f = 2.5f;
    a->d = 1.0 / 3.0;
    a->col = GREEN;
    a->fl.ready = 1;
    a->fl.mode = 5;
    a->fl.level = -3;
    a->fl.tag = 'z';
    a->u.i = 0x41424344;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 4; j++) {
            a->grid[i][j] = i * 10 + j;
        }
    }
    a->rowp = &rows[1];
    a->fn = add_len;
    a->str = "hello";
    a->vi = seed;
    a->head = &nodes[0];
    stop_here(1);
    return calls;
}

KEEP long walk(node_t *list, int limit)
{
    long total = 0;
    int steps = 0;
    for (node_t *n = list; n != NULL && steps < limit; n = n->next) {
        int twice = n->value * 2;
        total += twice;
        steps++;
        if (n->next == NULL) {
            char last[8];
            memcpy(last, n->name, sizeof last);
            stop_here(2);
            sink = last[0];
        }
    }
    return total + steps;
}

KEEP double scale(double x, float y, int count)
{
    double acc = 0;
    for (int i = 0; i < count; i++) {
        acc += x * y;
    }
    stop_here(3);
    return acc;
}

// A variable-length array: its bound is computed in the frame.
KEEP int squares(int n)
{
    int arr[n];
    for (int i = 0; i < n; i++) {
        arr[i] = i * i;
    }
    stop_here(5);
    return arr[n - 1];
}

// At -O2 this is inlined into main: its frame is an inlined frame with its own arguments and locals.
static inline int mix(int v, const struct node *n)
{
    int scaled = v * 3 + n->value;
    stop_here(4);
    return scaled + (int) sink;
}

int main(int argc, char **argv)
{
    struct all a;
    memset(&a, 0, sizeof a);
    for (int i = 0; i < 300; i++) {
        ramp[i] = i < 250 ? i : 7;
        longtext[i] = (char) ('a' + i % 26);
    }
    for (int i = 0; i < 3; i++) {
        nodes[i].value = (i + 1) * 100;
        nodes[i].next = i < 2 ? &nodes[i + 1] : NULL;
        snprintf(nodes[i].name, sizeof nodes[i].name, "n%d", i);
    }
    int calls = fill(&a, argc + 2);
    long w = walk(nodes, 10);
    double s = scale(1.25, 2.0f, argc + 3);
    int m = mix(argc + 5, &nodes[1]);
    int q = squares(argc + 4);
    printf("%d %ld %g %s %d %d %s %d %d\n", calls, w, s, buf, counter, file_static, names[0], m, q);
    return 0;
}
