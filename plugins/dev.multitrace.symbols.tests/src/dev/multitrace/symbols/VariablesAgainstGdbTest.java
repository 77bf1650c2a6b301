package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.multitrace.symbols.dwarf.DieReader;
import dev.multitrace.symbols.types.CType;
import dev.multitrace.symbols.types.TypeNames;
import dev.multitrace.symbols.types.TypeReader;
import dev.multitrace.symbols.unwind.Frame;
import dev.multitrace.symbols.values.DataSymbols;
import dev.multitrace.symbols.values.FrameScope;
import dev.multitrace.symbols.values.ValueFormat;

/**
 * varprog stopped in stop_here() by real gdb at each of its five calls (the fourth from a function inlined at -O2, the fifth with a variable-length array): gdb's {@code info args},
 * {@code info locals} (in the caller, frame 1), {@code ptype} of the program's types and {@code whatis} of
 * its globals against ours, read from the core gdb wrote at that stop. Builds: -O0 and -O2 (location
 * lists), DWARF 5 and 4, PIE and not.
 */
class VariablesAgainstGdbTest {

    private static final List<String> TYPES = List.of("struct all", "struct flags", "struct node", "union num", "enum color", "node_t", "binop", "struct packet",
            "struct anon", "enum neg");
    private static final List<String> GLOBALS = List.of("counter", "file_static", "buf", "zeros", "mixed", "dvals", "fvals", "nodes", "names",
            "favourite", "big", "flag_bits", "rows", "pkt", "an", "i128", "u128", "cd", "ld", "bools", "cpc", "pp", "nv", "tls_counter",
            "tls_name");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"varprog", "varprog_o2", "varprog_dwarf4", "varprog_o2_dwarf4"})
    void localsArgsAndTypesMatchGdb(String program) throws Exception {
        Path exe = Targets.program(program);
        int compared = 0;
        for (int stopNumber = 1; stopNumber <= 5; stopNumber++) {
            List<String> queries = new ArrayList<>(List.of("info args", "info locals"));
            TYPES.forEach(t -> queries.add("ptype " + t));
            GLOBALS.forEach(g -> queries.add("whatis " + g));
            GLOBALS.forEach(g -> queries.add("output " + g));
            Path corePath = tmp.resolve(program + "." + stopNumber + ".core");
            GdbSession.Stopped stopped = GdbSession.atStop(exe, corePath, stopNumber, queries);
            GdbSession gdb = stopped.gdb();
            CoreFile core = stopped.core();
            ProcessSymbols symbols = stopped.symbols();
            List<Frame> frames = stopped.frames();
            FrameScope scope = stopped.scope();
            ValueFormat format = new ValueFormat(core, new DataSymbols(symbols)::describe, false);
            String context = program + " stop " + stopNumber + " in " + frames.get(1).functionName();

            assertEquals(gdb.answer("info args"), GdbSession.infoLines(scope.arguments(), format, "No arguments."), context + ": info args");
            assertEquals(gdb.answer("info locals"), GdbSession.infoLines(scope.locals(), format, "No locals."), context + ": info locals");
            compared += scope.arguments().size() + scope.locals().size();

            DieReader dies = symbols.modules().get(0).debugInfo().dies();
            TypeReader types = FrameScope.typeReader(symbols.modules().get(0).debugInfo());
            for (String t : TYPES) {
                CType type = types.type(dies.lookup(t).get(0).offset());
                assertEquals(gdb.answer("ptype " + t), "type = " + TypeNames.ptype(type), context + ": ptype " + t);
                compared++;
            }
            for (String g : GLOBALS) {
                FrameScope.Variable v = scope.lookup(g).orElseThrow(() -> new AssertionError(context + ": no global " + g));
                assertEquals(gdb.answer("whatis " + g), "type = " + TypeNames.name(v.value().type()), context + ": whatis " + g);
                assertEquals(gdb.answer("output " + g), format.top(v.value()), context + ": output " + g);
                compared += 2;
            }
        }
        assertTrue(compared > 0);
        System.out.println(program + ": " + compared + " answers equal to gdb's");
    }
}
