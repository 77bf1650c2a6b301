package dev.multitrace.dsf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.session.DebugSession;
import dev.multitrace.testing.TestPrograms;

import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.cdt.dsf.datamodel.IDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpoints.IBreakpointDMContext;
import org.eclipse.cdt.dsf.debug.service.IBreakpointsExtension.IBreakpointHitDMEvent;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMAddress;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMContext;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMData;
import org.eclipse.cdt.dsf.debug.service.IExpressions.IExpressionDMData.BasicType;
import org.eclipse.cdt.dsf.debug.service.IExpressions2.CastInfo;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues;
import org.eclipse.cdt.dsf.debug.service.IFormattedValues.FormattedValueDMData;
import org.eclipse.cdt.dsf.debug.service.IRunControl.IExitedDMEvent;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IFrameDMData;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMContext;
import org.eclipse.cdt.dsf.debug.service.IStack.IVariableDMData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Source-level data through the DSF services, as CDT's Variables and Expressions views ask for it (dataview.c,
 * -g -O0, stopped in tick, called from main): each frame's arguments and locals with gdb's text (compared with
 * {@code gdb -batch} on the same program), C expressions in a frame in every format, a struct, a pointer and a
 * long array expanded through sub-expressions, a cast and an array view, addresses, writes that change what
 * the program prints, and a bad expression's error.
 */
class DsfSourceDataTest extends DsfProgramTestCase {

    private MultitraceStack stack;
    private MultitraceExpressions expressions;

    /** Launches dataview to main, then runs it to the first call of tick. */
    private void stopInTick() throws Exception {
        launchToMain("dataview", false);
        stack = dsf.service(MultitraceStack.class);
        expressions = dsf.service(MultitraceExpressions.class);
        MultitraceBreakpoints breakpoints = dsf.service(MultitraceBreakpoints.class);
        IBreakpointDMContext bp = dsf.call(rm -> breakpoints.insertBreakpoint(process,
                Map.of(MultitraceBreakpoints.KIND, MultitraceBreakpoints.LINE_KIND, MultitraceBreakpoints.FILE, "dataview.c",
                        MultitraceBreakpoints.LINE, TestPrograms.mark("dataview", "tick-body")), rm));
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IBreakpointHitDMEvent.class, e -> e.getDMContext().equals(thread));
        dsf.run(rm -> breakpoints.removeBreakpoint(bp, rm));
    }

    private IFrameDMContext frame(int level) throws Exception {
        IFrameDMContext[] frames = dsf.call(rm -> stack.getFrames(thread, rm));
        assertTrue(frames.length > level, Arrays.toString(frames));
        return frames[level];
    }

    /** What the Variables view lists for a frame: {@code name = text}, arguments first. */
    private List<String> variables(IFrameDMContext frame) throws Exception {
        IVariableDMContext[] vars = dsf.call(rm -> stack.getLocals(frame, rm));
        List<String> out = new ArrayList<>();
        for (IVariableDMContext v : vars) {
            IVariableDMData d = dsf.call(rm -> stack.getVariableData(v, rm));
            out.add(d.getName() + " = " + d.getValue());
        }
        return out;
    }

    private IExpressionDMContext expression(IDMContext ctx, String text) throws Exception {
        return dsf.call(rm -> {
            rm.setData(expressions.createExpression(ctx, text));
            rm.done();
        });
    }

    private String value(IExpressionDMContext e, String format) throws Exception {
        FormattedValueDMData d = dsf.call(
                rm -> expressions.getFormattedExpressionValue(expressions.getFormattedValueContext(e, format), rm));
        return d.getFormattedValue();
    }

    private IExpressionDMData data(IExpressionDMContext e) throws Exception {
        return dsf.call(rm -> expressions.getExpressionData(e, rm));
    }

    private IExpressionDMContext[] children(IExpressionDMContext e, int start, int length) throws Exception {
        return dsf.call(rm -> expressions.getSubExpressions(e, start, length, rm));
    }

    private int childCount(IExpressionDMContext e) throws Exception {
        return dsf.call(rm -> expressions.getSubExpressionCount(e, rm));
    }

    private IExpressionDMContext child(IExpressionDMContext e, String name) throws Exception {
        for (IExpressionDMContext c : dsf.<IExpressionDMContext[]>call(rm -> expressions.getSubExpressions(e, rm))) {
            if (data(c).getName().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(e.getExpression() + " has no sub-expression " + name);
    }

    @Test
    void eachFramesArgumentsAndLocalsAreGdbs() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        stopInTick();
        IFrameDMContext tick = frame(0);
        IFrameDMContext main = frame(1);
        assertEquals("tick", dsf.<IFrameDMData>call(rm -> stack.getFrameData(tick, rm)).getFunction());
        assertEquals("main", dsf.<IFrameDMData>call(rm -> stack.getFrameData(main, rm)).getFunction());

        IVariableDMContext[] args = dsf.call(rm -> stack.getArguments(tick, rm));
        List<String> argNames = new ArrayList<>();
        for (IVariableDMContext a : args) {
            argNames.add(dsf.<IVariableDMData>call(rm -> stack.getVariableData(a, rm)).getName());
        }
        assertEquals(List.of("p", "flag"), argNames);

        List<String> inTick = variables(tick);
        List<String> inMain = variables(main);
        List<List<String>> gdb = gdbArgsAndLocals();
        // gdb runs the program without address randomization, the DSF launch with it: addresses differ by the load base
        assertEquals(withoutAddresses(gdb.get(0)), withoutAddresses(inTick), "tick: gdb's info args, then info locals");
        assertEquals(withoutAddresses(gdb.get(1)), withoutAddresses(inMain), "main (frame 1): gdb's info locals after up");
        assertTrue(inMain.contains("origin = {x = 3, y = -4}"), inMain.toString());
        System.out.println("DSF variables against gdb: " + (inTick.size() + inMain.size()) + " of " + (inTick.size() + inMain.size())
                + " equal; tick " + inTick + "; main has " + inMain.size());

        // An expression of the outer frame sees its own locals; the innermost's argument is not in scope there.
        assertEquals("0", value(expression(main, "round"), IFormattedValues.NATURAL_FORMAT));
        assertEquals("0", value(expression(tick, "flag"), IFormattedValues.NATURAL_FORMAT));
        ExecutionException notThere = assertThrows(ExecutionException.class, () -> value(expression(main, "flag"),
                IFormattedValues.NATURAL_FORMAT));
        assertTrue(notThere.getMessage().contains("No symbol \"flag\" in current context."), notThere.getMessage());
    }

    /** The lines with each address of the program's image or stack ({@code 0x555555558098}) as {@code 0x?}. */
    private static List<String> withoutAddresses(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("0x[0-9a-f]{6,}", "0x?")).toList();
    }

    /** gdb -batch at the first stop in tick: [info args + info locals, (up) info locals]. */
    private static List<List<String>> gdbArgsAndLocals() throws Exception {
        String script = "set pagination off\nset confirm off\nset debuginfod enabled off\nset startup-with-shell off\nset width 0\n"
                + "break dataview.c:" + TestPrograms.mark("dataview", "tick-body") + "\nrun\n"
                + "echo @@@\\n\ninfo args\ninfo locals\necho @@@\\n\nup\ninfo locals\necho @@@\\n\nkill\n";
        Path file = Files.createTempFile("dsf-vars", ".gdb");
        String text;
        try {
            Files.writeString(file, script);
            Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-x", file.toString(), TestPrograms.path("dataview").toString())
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            try (var in = p.getInputStream()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gdb timed out");
        } finally {
            Files.deleteIfExists(file);
        }
        String[] parts = text.split("@@@\n", -1);
        assertTrue(parts.length >= 4, "gdb's output:\n" + text);
        List<String> tick = Arrays.asList(parts[1].strip().split("\n"));
        // after "up", gdb prints the frame's line first: "#1  0x... in main () at dataview.c:57" and the source line
        List<String> main = new ArrayList<>(Arrays.asList(parts[2].strip().split("\n")));
        main.removeIf(l -> !l.matches("[A-Za-z_][A-Za-z0-9_]* = .*"));
        return List.of(tick, main);
    }

    @Test
    void structsPointersAndLongArraysExpandThroughSubExpressions() throws Exception {
        stopInTick();
        IFrameDMContext main = frame(1);

        IExpressionDMContext origin = expression(main, "origin");
        IExpressionDMData originData = data(origin);
        assertEquals("struct point", originData.getTypeName());
        assertEquals(BasicType.composite, originData.getBasicType());
        assertEquals(2, childCount(origin));
        IExpressionDMContext[] members = children(origin, 0, 10);
        assertEquals(List.of("x", "y"), Arrays.stream(members).map(this::name).toList());
        assertEquals("origin.y", members[1].getExpression());
        assertEquals("-4", value(members[1], IFormattedValues.NATURAL_FORMAT));
        assertEquals("{x = 0x3, y = 0xfffffffc}", value(origin, IFormattedValues.HEX_FORMAT), "gdb's print/x origin");

        // A pointer: one child, its target, read when asked; a member of the target names itself through ->.
        IExpressionDMContext head = expression(main, "head");
        assertEquals(BasicType.pointer, data(head).getBasicType());
        assertEquals("struct node *", data(head).getTypeName());
        assertTrue(value(head, IFormattedValues.NATURAL_FORMAT).endsWith("<chain>"), value(head, IFormattedValues.NATURAL_FORMAT));
        assertEquals(1, childCount(head));
        IExpressionDMContext node0 = child(head, "*head");
        IExpressionDMContext next = child(node0, "next");
        IExpressionDMContext node1 = child(next, "*next");
        IExpressionDMContext count = child(node1, "count");
        assertEquals("head->next->count", count.getExpression());
        assertEquals("10", value(count, IFormattedValues.NATURAL_FORMAT));
        assertTrue(value(child(node1, "name"), IFormattedValues.NATURAL_FORMAT).endsWith("\"one\""));

        // An array of 250: the view asks for its elements in partitions; the last one's elements are 200..249.
        IExpressionDMContext big = expression(main, "big");
        assertEquals(BasicType.array, data(big).getBasicType());
        assertEquals("int [250]", data(big).getTypeName());
        assertEquals(250, childCount(big));
        IExpressionDMContext[] last = children(big, 200, 100);
        assertEquals(50, last.length);
        assertEquals("[249]", name(last[49]));
        assertEquals("big[249]", last[49].getExpression());
        assertEquals("249", value(last[49], IFormattedValues.NATURAL_FORMAT));
        assertEquals("0xf9", value(last[49], IFormattedValues.HEX_FORMAT));
        assertEquals("11111001", value(last[49], IFormattedValues.BINARY_FORMAT));
        assertEquals("0371", value(last[49], IFormattedValues.OCTAL_FORMAT));

        // The address of an element, as the memory views ask for it.
        IExpressionDMContext n2 = expression(main, "numbers[2]");
        IExpressionDMAddress at = dsf.call(rm -> expressions.getExpressionAddressData(n2, rm));
        assertEquals(4, at.getSize());
        assertEquals(new BigInteger(value(expression(main, "&numbers[2]"), IFormattedValues.DECIMAL_FORMAT)), at.getAddress().getValue());

        // IExpressions2: a cast and an array view of some elements.
        IExpressionDMContext originX = expression(main, "origin.x");
        IExpressionDMContext asChar = dsf.call(rm -> {
            rm.setData(expressions.createCastedExpression(originX, new CastInfo("char")));
            rm.done();
        });
        assertEquals("3 '\\003'", value(asChar, IFormattedValues.NATURAL_FORMAT));
        IExpressionDMContext numbers = expression(main, "numbers");
        IExpressionDMContext slice = dsf.call(rm -> {
            rm.setData(expressions.createCastedExpression(numbers, new CastInfo(1, 3)));
            rm.done();
        });
        assertEquals("{20, 30, 40}", value(slice, IFormattedValues.NATURAL_FORMAT));

        // Registers and loads keep working, in the innermost frame by default.
        IFrameDMContext innermost = frame(0);
        IFrameDMData top = dsf.call(rm -> stack.getFrameData(innermost, rm));
        assertEquals(top.getAddress().getValue().toString(), value(expression(thread, "$rip"), IFormattedValues.DECIMAL_FORMAT));
        assertEquals("42", value(expression(thread, "*(int*)&global_counter"), IFormattedValues.NATURAL_FORMAT));
    }

    private String name(IExpressionDMContext e) {
        try {
            return data(e).getName();
        } catch (Exception x) {
            throw new AssertionError(x);
        }
    }

    @Test
    void writesChangeWhatTheProgramPrintsAndBadInputSaysWhy() throws Exception {
        stopInTick();
        IFrameDMContext main = frame(1);
        DebugSession s = dsf.debugSession();

        IExpressionDMContext x = child(expression(main, "origin"), "x");
        assertTrue(dsf.<Boolean>call(rm -> expressions.canWriteExpression(x, rm)));
        dsf.run(rm -> expressions.writeExpression(x, "70 + 7", IFormattedValues.NATURAL_FORMAT, rm));
        assertEquals("77", value(x, IFormattedValues.NATURAL_FORMAT));
        IExpressionDMContext n2 = child(expression(main, "numbers"), "[2]");
        dsf.run(rm -> expressions.writeExpression(n2, "63", IFormattedValues.HEX_FORMAT, rm));
        assertEquals("99", value(n2, IFormattedValues.NATURAL_FORMAT));
        IExpressionDMContext shade = expression(main, "shade");
        dsf.run(rm -> expressions.writeExpression(shade, "GREEN", IFormattedValues.NATURAL_FORMAT, rm));
        assertEquals("GREEN", value(shade, IFormattedValues.NATURAL_FORMAT));
        assertEquals(BasicType.enumeration, data(shade).getBasicType());
        assertTrue(variables(main).contains("origin = {x = 77, y = -4}"), "the Variables view sees the write");

        // Bad input: a clear error, and nothing written.
        IExpressionDMContext sum = expression(main, "numbers[1] + 1");
        assertFalse(dsf.<Boolean>call(rm -> expressions.canWriteExpression(sum, rm)));
        ExecutionException syntax = assertThrows(ExecutionException.class,
                () -> value(expression(main, "numbers[1 +"), IFormattedValues.NATURAL_FORMAT));
        assertTrue(syntax.getMessage().contains("column"), syntax.getMessage());
        ExecutionException unknown = assertThrows(ExecutionException.class, () -> data(expression(main, "nosuch + 1")));
        assertTrue(unknown.getMessage().contains("No symbol \"nosuch\" in current context."), unknown.getMessage());
        ExecutionException badValue = assertThrows(ExecutionException.class,
                () -> dsf.run(rm -> expressions.writeExpression(x, "nosuch", IFormattedValues.NATURAL_FORMAT, rm)));
        assertTrue(badValue.getMessage().contains("nosuch"), badValue.getMessage());
        ExecutionException notHex = assertThrows(ExecutionException.class,
                () -> dsf.run(rm -> expressions.writeExpression(x, "zz", IFormattedValues.HEX_FORMAT, rm)));
        assertTrue(notHex.getMessage().contains("not a number"), notHex.getMessage());
        assertEquals("77", value(x, IFormattedValues.NATURAL_FORMAT), "a failed write changed nothing");
        // a pointer into unmapped memory: its target says why, as gdb's print does
        assertEquals("<error: Cannot access memory at address 0x10>",
                value(child(expression(main, "bad"), "*bad"), IFormattedValues.NATURAL_FORMAT));

        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e -> e.getDMContext().equals(process));
        assertEquals(0, s.process().exitStatus().get().code());
        String out = new String(s.process().stdout().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(out.contains("origin=77,-4 numbers[2]=99 global=42 shade=5"), out);
    }

    @Test
    void anExpressionOfARunningThreadIsRefused() throws Exception {
        stopInTick();
        IExpressionDMContext e = expression(thread, "global_counter");
        assertEquals("42", value(e, IFormattedValues.NATURAL_FORMAT));
        IFrameDMContext innermost = frame(0);
        IVariableDMContext[] before = dsf.call(rm -> stack.getLocals(innermost, rm));
        assertArrayEquals(before, dsf.<IVariableDMContext[]>call(rm -> stack.getLocals(innermost, rm)), "the same contexts at one stop");
        MultitraceRunControl runControl = dsf.service(MultitraceRunControl.class);
        dsf.run(rm -> runControl.resume(process, rm));
        dsf.events.next(IExitedDMEvent.class, e2 -> e2.getDMContext().equals(process));
        assertThrows(ExecutionException.class, () -> value(e, IFormattedValues.NATURAL_FORMAT));
    }
}
