package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.multitrace.symbols.expr.Evaluator;
import dev.multitrace.symbols.expr.ExpressionException;

/**
 * Assignments ({@code print x = v}) made by gdb in the live varprog before it wrote its core, and by us with
 * a recording writer: the printed results are gdb's, and the bytes we would write are exactly those the
 * core holds at the same addresses (what gdb wrote into the process).
 */
class AssignmentAgainstGdbTest {

    private static final List<String> ASSIGNMENTS = List.of("counter = 99", "a->d = 2.5", "a->head->next->name[0] = 'Q'", "a->l = -7",
            "mixed[4] = mixed[0] + 100", "a->c = 66", "nodes[2].value = nodes[0].value * 3", "a->f = 1.0 / 3", "a->s = 70000",
            "*a->grid[1] = -1", "a->ull = -1");

    @TempDir
    Path tmp;

    @Test
    void assignmentsWriteWhatGdbWrote() throws Exception {
        GdbSession.Stopped stopped = GdbSession.atStop(Targets.program("varprog"), tmp.resolve("assign.core"), 1,
                ASSIGNMENTS.stream().map(a -> "print " + a).toList());
        Map<Long, byte[]> written = new LinkedHashMap<>();
        Evaluator eval = new Evaluator(stopped.scope(), (address, data) -> {
            written.put(address, data.clone());
            return true;
        });
        for (String a : ASSIGNMENTS) {
            written.clear();
            assertEquals(stopped.gdb().answer("print " + a), eval.print(a, false), "print " + a);
            assertEquals(1, written.size(), a);
            long address = written.keySet().iterator().next();
            byte[] bytes = written.get(address);
            assertArrayEquals(stopped.core().readFully(address, bytes.length), bytes, a + ": the bytes gdb wrote at 0x" + Long.toHexString(address));
        }
        // no writer (a core), not an lvalue, a bit field: refused with a reason
        Evaluator readOnly = new Evaluator(stopped.scope());
        assertTrue(assertThrows(ExpressionException.class, () -> readOnly.print("counter = 1", false)).problem().contains("Cannot write"));
        assertTrue(assertThrows(ExpressionException.class, () -> eval.print("counter + 1 = 2", false)).problem().contains("lvalue"));
        assertTrue(assertThrows(ExpressionException.class, () -> eval.print("a->fl.mode = 2", false)).problem().contains("lvalue"));
    }
}
