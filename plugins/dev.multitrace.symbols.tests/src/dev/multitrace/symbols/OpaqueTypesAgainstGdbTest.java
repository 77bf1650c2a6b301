package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.symbols.expr.Evaluator;
import dev.multitrace.symbols.types.TypeNames;

/**
 * An opaque struct: declared only ({@code struct opaque;}) in the unit whose frame we look from, defined in
 * another unit of the same program. gdb resolves the declaration to the definition; so must we. The two
 * units are compiled here (gcc, untraced) since the build compiles one unit per program.
 */
class OpaqueTypesAgainstGdbTest {

    private static final String USER = """
            struct opaque;
            struct opaque *get(void);
            void stop_here(void);
            static int use(struct opaque *o)
            {
                stop_here();
                return o != 0;
            }
            int main(void)
            {
                return !use(get());
            }
            """;

    private static final String DEFINER = """
            struct opaque {
                int count;
                const char *name;
                struct opaque *next;
            };
            static struct opaque the = {7, "seven", &the};
            struct opaque *get(void)
            {
                return &the;
            }
            void stop_here(void)
            {
            }
            """;

    private static final List<String> EXPRESSIONS = List.of("o", "*o", "o->count", "o->name", "*o->next", "o->next->next == o", "sizeof *o");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"-gdwarf-5", "-gdwarf-4"})
    void declarationResolvesToTheOtherUnitsDefinition(String dwarf) throws Exception {
        Path user = Files.writeString(tmp.resolve("user.c"), USER);
        Path definer = Files.writeString(tmp.resolve("definer.c"), DEFINER);
        Path exe = tmp.resolve("opaque");
        Targets.run(null, "gcc", "-g", "-O0", dwarf, "-o", exe.toString(), user.toString(), definer.toString());
        List<String> queries = new java.util.ArrayList<>(List.of("ptype o", "whatis *o", "info args"));
        EXPRESSIONS.forEach(e -> queries.add("print " + e));
        GdbSession.Stopped stopped = GdbSession.atStop(exe, tmp.resolve("opaque.core"), 1, queries);
        GdbSession gdb = stopped.gdb();
        Evaluator eval = new Evaluator(stopped.scope());
        assertEquals("use", stopped.frames().get(1).functionName());
        assertEquals(gdb.answer("ptype o"), "type = " + TypeNames.ptype(eval.typeOf("o")), dwarf + ": ptype o");
        assertEquals(gdb.answer("whatis *o"), "type = " + TypeNames.name(eval.typeOf("*o")), dwarf + ": whatis *o");
        assertTrue(gdb.answer("ptype o").contains("int count;"), gdb.answer("ptype o"));
        for (String e : EXPRESSIONS) {
            assertEquals(gdb.answer("print " + e), eval.print(e, false), dwarf + ": print " + e);
        }
    }
}
