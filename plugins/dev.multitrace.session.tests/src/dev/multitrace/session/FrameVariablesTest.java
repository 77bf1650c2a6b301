package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.symbols.expr.ExpressionException;
import dev.multitrace.testing.TestPrograms;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Source-level data of a live traced program (dataview.c, compiled -g -O0 by the build): a frame's locals and
 * arguments with gdb's text, struct/array/pointer children, C expressions, assignments that change what the
 * program prints, and C breakpoint conditions counted hit by hit.
 */
class FrameVariablesTest {

    private DebugSession session;
    private final Stops stops = new Stops();

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    private int startAtMain() throws Exception {
        session = Samples.atMain(Samples.spec("dataview"), stops);
        return session.pid();
    }

    private CodeBreakpoint at(String mark, BreakpointCondition condition) {
        long[] addresses = session.symbols().addressesFor("dataview.c", TestPrograms.mark("dataview", mark));
        assertTrue(addresses.length > 0, "dataview.c has code at MARK:" + mark);
        return new CodeBreakpoint("dataview.c:" + mark, addresses, condition, 0, Set.of(), null);
    }

    private int stopAtReady() throws Exception {
        int pid = startAtMain();
        CodeBreakpoint ready = at("ready", null);
        session.addBreakpoint(ready);
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        session.removeBreakpoint(ready);
        return pid;
    }

    private static SourceValue child(SourceValue v, String name) {
        return v.children().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(v.name() + " has no child " + name + ": " + v.children()));
    }

    @Test
    void localsExpandAsStructsArraysAndPointersWithGdbsText() throws Exception {
        int pid = stopAtReady();
        long started = System.nanoTime();
        FrameVariables frame = session.variables(pid, 0);
        List<SourceValue> locals = frame.locals();
        long listed = System.nanoTime() - started;
        var byName = locals.stream().collect(Collectors.toMap(SourceValue::name, Function.identity(), (a, b) -> a));
        assertTrue(byName.keySet().containsAll(List.of("origin", "numbers", "shade", "f", "ratio", "word", "names", "head", "bad", "total")),
                byName.keySet().toString());
        assertTrue(frame.arguments().isEmpty(), "main(void) has no arguments");

        assertEquals("{x = 3, y = -4}", byName.get("origin").text());
        assertEquals("struct point", byName.get("origin").typeName());
        assertEquals("-4", child(byName.get("origin"), "y").text());
        assertEquals("origin.y", child(byName.get("origin"), "y").expression());

        assertEquals("{10, 20, 30, 40, 50}", byName.get("numbers").text());
        assertEquals(5, byName.get("numbers").children().size());
        assertEquals("30", child(byName.get("numbers"), "[2]").text());
        assertEquals("BLUE", byName.get("shade").text());
        assertEquals("{ready = 1, level = 5, sign = -3}", byName.get("f").text());
        assertEquals("0.5", byName.get("ratio").text());
        assertTrue(byName.get("word").text().startsWith("\"hello"), byName.get("word").text());

        // a pointer chain, dereferenced only when expanded
        SourceValue head = byName.get("head");
        assertTrue(head.text().startsWith("0x") && head.text().endsWith("<chain>"), head.text());
        SourceValue node0 = child(head, "*head");
        assertEquals("0", child(node0, "count").text());
        SourceValue next = child(node0, "next");
        assertTrue(next.text().endsWith("<chain+24>"), next.text());
        SourceValue node1 = child(next, "*next");
        assertEquals("10", child(node1, "count").text());
        assertTrue(child(node1, "name").text().endsWith("\"one\""), child(node1, "name").text());
        assertEquals("head->next->count", child(node1, "count").expression());

        // a pointer into unmapped memory: a clear error in its child, the variable itself still shown
        SourceValue bad = byName.get("bad");
        assertEquals("0x10", bad.text());
        assertEquals("<error: Cannot access memory at address 0x10>", child(bad, "*bad").text());

        // an array longer than a chunk is grouped by 100
        SourceValue big = frame.evaluate("big");
        assertEquals("int [250]", big.typeName());
        assertTrue(big.value().available(), big.value().error() + " " + big.value().type().strip().kind() + " " + big.value().type().strip().count());
        assertEquals(List.of("[0..99]", "[100..199]", "[200..249]"), big.children().stream().map(SourceValue::name).toList());
        SourceValue last = big.children().get(2);
        assertEquals(50, last.children().size());
        assertEquals("249", child(last, "[249]").text());
        assertEquals("big[249]", child(last, "[249]").expression());

        // the function-static local and a global, by name
        assertTrue(byName.get("names").text().contains("\"zero\""), byName.get("names").text());
        assertEquals("42", frame.variable("global_counter").orElseThrow().text());
        System.out.printf("dataview main: %d locals listed in %.1f ms%n", locals.size(), listed / 1e6);
        session.resumeAll();
        assertEquals(0, Samples.exit(session).code());
    }

    @Test
    void expressionsEvaluateInTheFrameAndBadInputSaysWhy() throws Exception {
        int pid = stopAtReady();
        FrameVariables frame = session.variables(pid, 0);
        assertEquals("40", frame.evaluate("head->next->next->count * 2").text());
        assertEquals("1", frame.evaluate("numbers[1] == 20 && shade == BLUE").text());
        assertEquals("\"two\"", frame.evaluate("chain[2].name").text().replaceAll("^0x[0-9a-f]+ ", ""));
        assertEquals("5", frame.evaluate("f.level").text());
        assertEquals("1", frame.evaluate("$pc == $rip").text());
        assertEquals("4", frame.evaluate("sizeof(struct point) / 2").text());
        assertTrue(frame.test("head->next->count == 10"));
        assertFalse(frame.test("head == 0"));

        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            ExpressionException syntax = assertThrows(ExpressionException.class, () -> frame.evaluate("numbers[1 +"));
            assertTrue(syntax.getMessage().contains("column"), syntax.getMessage());
            ExpressionException unknown = assertThrows(ExpressionException.class, () -> frame.evaluate("nosuch + 1"));
            assertEquals("No symbol \"nosuch\" in current context.", unknown.problem());
            ExpressionException unmapped = assertThrows(ExpressionException.class, () -> frame.evaluate("*bad"));
            assertEquals("Cannot access memory at address 0x10", unmapped.problem());
            ExpressionException member = assertThrows(ExpressionException.class, () -> frame.evaluate("origin.z"));
            assertEquals("There is no member named z.", member.problem());
        });
        session.resumeAll();
        assertEquals(0, Samples.exit(session).code());
    }

    @Test
    void assignmentsChangeWhatTheProgramPrints() throws Exception {
        int pid = stopAtReady();
        FrameVariables frame = session.variables(pid, 0);
        SourceValue origin = frame.locals().stream().filter(v -> v.name().equals("origin")).findFirst().orElseThrow();
        assertEquals("77", child(origin, "x").assign("70 + 7").text());
        SourceValue numbers = frame.locals().stream().filter(v -> v.name().equals("numbers")).findFirst().orElseThrow();
        assertEquals("99", child(numbers, "[2]").assign("99").text());
        assertEquals("7", frame.assign("global_counter", "7").text());
        assertEquals("GREEN", frame.assign("shade", "GREEN").text());
        assertEquals("0.25", frame.assign("ratio", "ratio / 2").text());
        // a register: written through the service and read back, then put back
        long rax = session.registers(pid).get("rax");
        frame.assign("$rax", "0x1234");
        assertEquals(0x1234, session.registers(pid).get("rax"));
        session.variables(pid, 0).assign("$rax", Long.toString(rax));
        // a fresh look at the frame sees the writes
        assertEquals("{x = 77, y = -4}", session.variables(pid, 0).evaluate("origin").text());
        assertThrows(ExpressionException.class, () -> frame.assign("numbers[1] + 1", "3"), "not an lvalue");

        session.resumeAll();
        assertEquals(0, Samples.exit(session).code());
        String out = Samples.readAll(session.process().stdout());
        assertTrue(out.contains("origin=77,-4 numbers[2]=99 global=7 shade=5"), out);
        assertTrue(out.contains("ratio=0.25"), out);
    }

    /** {@code p->count > 15 && flag} over the ten calls of tick: count is 10 + k and flag k & 1, so it holds at k = 7 and 9 only. */
    @Test
    void aCConditionStopsExactlyWhenItHolds() throws Exception {
        int pid = startAtMain();
        session.addBreakpoint(at("tick-body", BreakpointCondition.of("p->count > 15 && flag")));
        int hits = 0;
        for (int expected : new int[] {17, 19}) {
            session.resumeAll();
            stops.next(pid, StopReason.Kind.BREAKPOINT);
            hits++;
            FrameVariables tick = session.variables(pid, 0);
            assertEquals(List.of("p", "flag"), tick.arguments().stream().map(SourceValue::name).toList());
            assertEquals(Integer.toString(expected), tick.evaluate("p->count").text());
            assertEquals("1", tick.arguments().get(1).text());
            // the function-static local counts the calls before this one; the caller's frame sees its own locals
            assertEquals(Integer.toString(expected - 10), tick.variable("calls").orElseThrow().text());
            FrameVariables main = session.variables(pid, 1);
            assertEquals(Integer.toString(expected - 10), main.variable("round").orElseThrow().text());
        }
        session.resumeAll();
        assertEquals(0, Samples.exit(session).code(), "no third stop: the program ran to its end");
        assertEquals(2, hits);
    }

    @Test
    void aConditionThatCannotBeEvaluatedStopsSayingWhy() throws Exception {
        int pid = startAtMain();
        session.addBreakpoint(at("tick-body", BreakpointCondition.of("p->nosuch > 1")));
        session.resumeAll();
        Stops.Stop stop = stops.next(pid, StopReason.Kind.BREAKPOINT);
        assertTrue(stop.reason().detail().contains("There is no member named nosuch."), stop.reason().detail());
        session.removeBreakpoint(session.breakpoints().get(0));
        session.resumeAll();
        assertEquals(0, Samples.exit(session).code());
    }

    /** gdb's {@code watch chain[1].count}: each call of tick writes it, and the stop is right after the write. */
    @Test
    void aWatchpointOnAStructMemberStopsAfterEachWrite() throws Exception {
        int pid = stopAtReady();
        DataWatchpoint wp = session.variables(pid, 0).watchpoint("chain[1].count", dev.multitrace.core.WatchKind.WRITE, null);
        assertEquals(4, wp.length());
        session.addWatchpoint(wp);
        for (int expected : new int[] {11, 12}) {
            session.resumeAll();
            Stops.Stop stop = stops.next(pid, StopReason.Kind.WATCHPOINT);
            assertEquals("watchpoint chain[1].count", stop.reason().label());
            assertEquals("tick", session.frames(pid).get(0).functionName());
            assertEquals(Integer.toString(expected), session.variables(pid, 0).evaluate("p->count").text());
        }
        session.removeWatchpoint(wp);
        assertTrue(session.watchpoints().isEmpty());
        ExpressionException constant = assertThrows(ExpressionException.class,
                () -> session.variables(pid, 0).watchpoint("p->count + 1", dev.multitrace.core.WatchKind.WRITE, null));
        assertTrue(constant.getMessage().contains("not in memory"), constant.getMessage());
        session.resumeAll();
        assertEquals(0, Samples.exit(session).code());
        assertTrue(Samples.readAll(session.process().stdout()).contains("count=20"));
    }
}
