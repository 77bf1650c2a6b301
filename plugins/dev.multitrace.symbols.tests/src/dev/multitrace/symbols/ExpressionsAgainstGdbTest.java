package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.symbols.expr.Evaluator;
import dev.multitrace.symbols.expr.ExpressionException;
import dev.multitrace.symbols.types.TypeNames;
import dev.multitrace.symbols.unwind.Frame;

/**
 * {@code print EXPR} and {@code print/x EXPR} by real gdb against our evaluator on the core gdb wrote at the
 * same stop (varprog at -O0 and -O2, DWARF 5 and 4, frame 1 of each stop): members, elements, pointer chains, casts, arithmetic with C's
 * conversions, strings, bit fields, enums, unions, function pointers, statics, {@code @}, registers. Errors:
 * gdb's message, and the column of the fault.
 */
class ExpressionsAgainstGdbTest {

    /** Expressions asked at every stop (globals, literals, arithmetic). */
    private static final List<String> COMMON = List.of("counter", "counter * 2 + 1", "-counter", "!counter", "~counter", "counter / 5",
            "counter % 5", "counter << 3", "big / 1000", "big", "flag_bits >> 4", "flag_bits", "-1 < 1u", "(long) -1 < 1u", "dvals[1] * 2",
            "dvals", "fvals[0]", "fvals[0] + 1", "10 / 3.0", "'A'", "'\\n'", "\"hi\"", "names[1]", "*names[0]@3", "&nodes[1]",
            "&nodes[2] - &nodes[0]", "nodes + 1", "*(nodes + 1)", "nodes[1].next->value", "nodes[0].next->next->name", "&counter", "stop_here",
            "*stop_here", "&stop_here", "add_len", "&buf[3]", "buf", "buf[0]", "zeros", "mixed", "mixed[1]@3", "*mixed@4", "rows[1]", "rows",
            "(unsigned char) -1", "(char) 65", "(short) 70000", "(double) counter / 8", "(float) 1 / 3", "file_static", "favourite",
            "(enum color) 6", "(enum color) 5", "BLUE", "BLUE + 1", "RED == 0", "sizeof(struct all)", "sizeof nodes", "sizeof(int) * 3",
            "sizeof (node_t)", "(node_t *) &nodes[2]", "*(struct node *) &nodes[2]", "counter > 40 && file_static < 0", "counter ? 1 : 2",
            "&rows[1]", "*&rows[1]", "nodes[2].next", "names", "(long) &counter - (long) &counter", "0x7fffffff + 1", "2147483647 + 1",
            "4294967295", "-5 / 2", "-5 % 2", "-5 >> 1", "1.5e3", "$rip", "$sp", "$pc", "*pkt", "pkt->data", "pkt->data[1]", "an", "an.i",
            "an.half.hi", "i128", "u128", "cd", "ld", "bools", "bools[1]", "cpc", "*pp", "nv", "(enum neg) 7", "sizeof(struct packet)", "&an.half", "tls_counter * 2", "&tls_counter", "tls_name", "perms", "(enum perm) 8",
            "(enum perm) 0", "(enum perm) 11", "(enum perm) 2", "(enum color) 7", "P_WRITE | P_EXEC", "ramp", "ramp[240]@60", "longtext",
            "&longtext[100]", "*longtext@250");

    /** Expressions per stop (the caller's locals and arguments). */
    private static final List<List<String>> PER_STOP = List.of(
            List.of("*a", "a->grid", "a->grid[1]", "a->grid[2][3]", "a->fl", "a->fl.level", "a->fl.mode * 10", "a->u", "a->u.bytes", "a->rowp",
                    "*a->rowp", "a->fn", "*a->fn", "a->str", "a->str[1]", "*a->head", "a->head->next->name", "a->head->next->next->value * 2",
                    "&a->head->next->name[1]", "(long) a->s", "a->c", "a->sc", "a->uc", "a->us", "a->ull", "a->ull + 1", "a->b", "a->f",
                    "a->d", "a->f * 2", "a->col", "a->col == GREEN", "a->vi", "seed", "calls", "seed > 2 && counter == 42", "a->grid[1][2] + seed",
                    "sizeof a->grid", "sizeof *a", "&a->grid[1]", "*a->grid", "a->l / seed"),
            List.of("list", "*list", "limit", "total", "steps", "n", "*n", "n->name", "twice", "last", "last[0]", "list[1]", "list[2].name",
                    "n == &list[2]", "n - list", "total + steps"),
            List.of("x", "y", "count", "acc", "x * y", "acc / count", "(int) acc", "x > y", "-x"),
            List.of("v", "n", "*n", "n->name", "scaled", "scaled - v", "n == &nodes[1]", "n->next->value + v"),
            List.of("n", "arr", "arr[2]", "sizeof arr", "arr[n - 1] + 1", "*arr@3", "&arr[1]"));

    /** Expressions printed in each of gdb's other formats (/o /t /d /u /c /a /z) at every stop. */
    private static final List<String> FORMATTED = List.of("counter", "big", "flag_bits", "dvals[1]", "fvals[0]", "buf", "nodes[1]", "&nodes[1]",
            "names", "favourite", "nv", "mixed", "an", "bools", "(char) 200", "-1", "i128", "&counter", "rows[0]", "'A'", "0");
    private static final String FORMATS = "otducaz";

    /** Bad expressions: gdb's message must be ours. */
    private static final List<String> ERRORS = List.of("nosuch", "nodes[0].nosuch", "*counter", "1 +", "counter)", "&1", "nodes->value.x",
            "(struct nosuch *) 0", "10 / 0", "*(int *) 0", "1 @ 2");

    /** Where the fault is, 1-based: the unknown name, the missing operand (the end), the junk. */
    private static final java.util.Map<String, Integer> COLUMNS = java.util.Map.of("nosuch", 1, "nodes[0].nosuch", 10, "1 +", 4, "counter)", 8,
            "(struct nosuch *) 0", 9, "10 / 0", 4);

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"varprog", "varprog_o2", "varprog_dwarf4", "varprog_o2_dwarf4"})
    void printMatchesGdb(String program) throws Exception {
        Path exe = Targets.program(program);
        int compared = 0;
        for (int stop = 1; stop <= 5; stop++) {
            List<String> exprs = new ArrayList<>(COMMON);
            exprs.addAll(PER_STOP.get(stop - 1));
            List<String> queries = new ArrayList<>();
            for (String e : exprs) {
                queries.add("print " + e);
                queries.add("print/x " + e);
                queries.add("whatis " + e);
            }
            ERRORS.forEach(e -> queries.add("print " + e));
            for (String e : FORMATTED) {
                for (char f : FORMATS.toCharArray()) {
                    queries.add("print/" + f + " " + e);
                }
            }
            Path corePath = tmp.resolve(program + "." + stop + ".core");
            GdbSession.Stopped stopped = GdbSession.atStop(exe, corePath, stop, queries);
            GdbSession gdb = stopped.gdb();
            List<Frame> frames = stopped.frames();
            Evaluator eval = new Evaluator(stopped.scope());
            String context = program + " stop " + stop + " in " + frames.get(1).functionName() + ": print ";
            for (String e : exprs) {
                // whatis is compared where print has a value: on optimized-out operands gdb's whatis has quirks of its own
                String printed = gdb.answer("print " + e);
                if (!e.contains("stop_here") && !e.equals("add_len") && !e.startsWith("$") && !printed.contains("optimized out")
                        && !ERRORS.contains(e)) {
                    assertEquals(gdb.answer("whatis " + e), ours(() -> "type = " + TypeNames.name(eval.typeOf(e))), context.replace("print ", "whatis ") + e);
                    compared++;
                }
                assertEquals(gdb.answer("print " + e), ours(eval, e, false), context + e);
                String hex = gdb.answer("print/x " + e);
                if (!hex.startsWith("{<text variable") && !e.contains("stop_here") && !e.equals("add_len") && !e.contains("a->fn")) {
                    assertEquals(hex, ours(eval, e, true), context + "/x " + e);
                    compared++;
                }
                compared++;
            }
            for (String e : FORMATTED) {
                for (char f : FORMATS.toCharArray()) {
                    assertEquals(gdb.answer("print/" + f + " " + e), ours(() -> eval.print(e, f)), context + "/" + f + " " + e);
                    compared++;
                }
            }
            for (String e : ERRORS) {
                String expected = gdb.answer("print " + e);
                ExpressionException x = assertThrows(ExpressionException.class, () -> eval.print(e, false), context + e);
                assertEquals(expected, x.problem(), context + e);
                if (COLUMNS.containsKey(e)) {
                    assertEquals(COLUMNS.get(e), x.column(), context + e + ": the column of the fault");
                }
                compared++;
            }
        }
        System.out.println(program + ": " + compared + " answers equal to gdb's");
    }

    private static String ours(java.util.function.Supplier<String> s) {
        try {
            return s.get();
        } catch (ExpressionException x) {
            return x.problem();
        }
    }

    private static String ours(Evaluator eval, String e, boolean hex) {
        try {
            return eval.print(e, hex);
        } catch (ExpressionException x) {
            return x.problem();
        }
    }
}
