package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Line steps against real gdb: from main, gdb's {@code next} (and {@code step}) repeated until the program
 * reaches the {@code printf} at its end, the line (from {@code info line *$pc}) at main's stop and after each;
 * the session's stop at main and {@link StepKind#OVER} (and {@link StepKind#INTO}) the same number of times, the
 * line table's line at the pc after each. {@code lines.c} has lines of every shape a step crosses (straight code, nested calls, a call
 * through a pointer, recursion, a loop on one line, ?:, a switch, rep stos and rep movs), at -O0 and at -O2. At -O2 gcc
 * puts several rows at one address (location views): a pc's line is the last statement row's, and a function whose
 * entry starts rows of several lines has no prologue to skip, as gdb takes them.
 */
class LineStepsAgainstGdbTest {

    private static final Pattern INFO_LINE = Pattern.compile("^Line (\\d+) of \"([^\"]*)\"");

    private DebugSession session;
    private final Stops stops = new Stops();

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    /** Step over is gdb's {@code next}, step into its {@code step}, on lines.c at -O0 and -O2. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({ "lines, next, OVER", "lines, step, INTO", "lines_o2, next, OVER", "lines_o2, step, INTO" })
    void lineStepsAreGdbs(String program, String gdbCommand, StepKind kind) throws Exception {
        compare(program, gdbCommand, kind);
    }

    /**
     * From the first stop in the recursive depth(3), at its recursive call: a step over runs the deeper calls,
     * which reach the same code first (a stretch with a call in it ends only in the step's own frame).
     */
    @Test
    void stepOverInARecursiveFunctionIsGdbsNext() throws Exception {
        compare("lines", "next", StepKind.OVER, "recurse");
    }

    private void compare(String program, String gdbCommand, StepKind kind) throws Exception {
        compare(program, gdbCommand, kind, null);
    }

    /** As above, from the first stop at MARK:{@code mark} instead of main's (null: main's). */
    private void compare(String program, String gdbCommand, StepKind kind, String mark) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        int print = TestPrograms.mark("lines", "print");
        String start = mark == null ? "main" : "lines.c:" + TestPrograms.mark("lines", mark);
        List<Integer> expected = gdb(TestPrograms.path(program), start, gdbCommand, print);
        assertTrue(expected.size() >= 15, program + ": gdb took " + expected.size() + " steps: " + expected);

        int pid = launchToMain(program);
        if (mark != null) {
            runTo(pid, "lines.c", TestPrograms.mark("lines", mark));
        }
        List<Integer> actual = new ArrayList<>();
        actual.add(session.symbols().lineAt(session.registers(pid).pc()).map(SourcePosition::line).orElse(-1)); // where main stops
        for (int i = 1; i < expected.size(); i++) {
            long from = session.registers(pid).pc();
            session.step(pid, kind);
            try {
                stops.next(pid, StopReason.Kind.STEP, 20);
            } catch (AssertionError e) {
                throw new AssertionError(program + ", " + gdbCommand + " " + (i + 1) + " from 0x" + Long.toHexString(from) + ": "
                        + e.getMessage() + (session.isEnded() ? " (the program ended)" : "") + "; gdb " + expected + ", ours so far " + actual, e);
            }
            long pc = session.registers(pid).pc();
            actual.add(session.symbols().lineAt(pc).map(SourcePosition::line).orElse(-1));
        }
        System.out.println("line steps (" + gdbCommand + ") of " + program + ": " + expected.size() + " steps, gdb " + expected
                + (expected.equals(actual) ? ", ours the same" : ", ours " + actual));
        assertEquals(expected, actual, program + ": the lines after each " + gdbCommand);
        session.terminate();
        session = null;
    }

    /** The held thread runs to {@code file:line} (a breakpoint of the test's, removed at the stop). */
    /** The test program {@code program} launched and stopped at main; its pid. */
    private int launchToMain(String program) throws Exception {
        session = Samples.atMain(Samples.spec(program), stops);
        return session.pid();
    }

    /** A step into, waited for. */
    private void stepInto(int pid) throws Exception {
        session.step(pid, StepKind.INTO);
        stops.next(pid, StopReason.Kind.STEP, 20);
    }

    private void runTo(int pid, String file, int line) throws Exception {
        CodeBreakpoint bp = new CodeBreakpoint(file + ":" + line, session.symbols().addressesFor(file, line), null, 0,
                java.util.Set.of(), null);
        session.addBreakpoint(bp);
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        session.removeBreakpoint(bp);
    }

    /**
     * A step into a call of a shared library's function goes through the program's PLT stub (and, at the first call,
     * the dynamic linker's lazy binding) into the function, where gdb's {@code step} stops: {@code stepcall} calls
     * {@code lib_twice} of its own {@code libsteplib.so}. Before, the stub had no function and the call was run over.
     */
    @Test
    void aStepIntoACallThroughThePltEntersTheLibrarysFunctionAsGdbsStep() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        int call = TestPrograms.mark("stepcall", "call");
        String out = GdbScript.run(TestPrograms.path("stepcall"), "break stepcall.c:" + call + "\nrun\ndelete\nstep\necho @@@\\n\ninfo line *$pc\n");
        Matcher g = INFO_LINE.matcher(out.substring(out.indexOf("@@@\n") + 4)); // the line after the marker
        assertTrue(g.find() && g.group(2).endsWith("steplib.c"), "gdb's step enters lib_twice in steplib.c: " + out);

        int pid = launchToMain("stepcall");
        runTo(pid, "stepcall.c", call);
        stepInto(pid);
        long pc = session.registers(pid).pc();
        assertEquals("lib_twice", session.symbols().functionAt(pc).map(FunctionInfo::name).orElse("?"), "the step entered the library's function");
        SourcePosition at = session.symbols().lineAt(pc).orElseThrow();
        assertTrue(at.file().endsWith("steplib.c"), at.toString());
        assertEquals(Integer.parseInt(g.group(1)), at.line(), "gdb's line in lib_twice");
        assertEquals(TestPrograms.mark("steplib", "lib-body"), at.line(), "past lib_twice's prologue, at its first statement");
        System.out.println("step into lib_twice through the PLT: line " + at.line() + " of steplib.c, as gdb's step");
    }

    private static final Pattern INFO_SYMBOL = Pattern.compile("^(\\S+)(?: \\+ \\d+)? in section");

    /**
     * A step into {@code strlen}, which glibc binds to this CPU's implementation (an ifunc: the symbols name only its
     * resolver), enters that implementation as gdb's step does, at gdb's line: the first call goes through the
     * dynamic linker's lazy binding, the second through the bound slot. Where the C library has no line information
     * (no libc6-dbg) gdb's step runs over the call, and so must ours. Before, every such call was run over.
     */
    @Test
    void aStepIntoAnIfuncThroughThePltEntersTheImplementationGdbsStepEnters() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        int call = TestPrograms.mark("stepstrlen", "call");
        int again = TestPrograms.mark("stepstrlen", "again");
        String out = GdbScript.run(TestPrograms.path("stepstrlen"), "break stepstrlen.c:" + call + "\nrun\ndelete\nstep\n"
                + "echo @@@\\n\ninfo line *$pc\ninfo symbol $pc\nfinish\nnext\necho @@@\\n\ninfo line *$pc\n"
                + "step\necho @@@\\n\ninfo line *$pc\ninfo symbol $pc\n");
        String[] parts = out.split("@@@\n");
        Matcher first = INFO_LINE.matcher(parts.length > 1 ? parts[1] : "");
        assertTrue(first.find(), "gdb's first stop:\n" + out);
        int pid = launchToMain("stepstrlen");
        runTo(pid, "stepstrlen.c", call);
        stepInto(pid);
        if (first.group(2).endsWith("stepstrlen.c")) { // the C library has no line information: gdb ran over strlen
            assertEquals(Integer.parseInt(first.group(1)), session.symbols().lineAt(session.registers(pid).pc()).orElseThrow().line(),
                    "over strlen, as gdb's step");
            Assumptions.abort("the C library has no line information here (libc6-dbg): gdb's step runs over strlen, and so did ours");
        }
        assertEquals(4, parts.length, "three marked answers from gdb:\n" + out);
        first = INFO_LINE.matcher(parts[1]);
        Matcher firstFn = INFO_SYMBOL.matcher(parts[1].lines().filter(l -> l.contains(" in section")).findFirst().orElse(""));
        Matcher atAgain = INFO_LINE.matcher(parts[2]);
        Matcher second = INFO_LINE.matcher(parts[3]);
        Matcher secondFn = INFO_SYMBOL.matcher(parts[3].lines().filter(l -> l.contains(" in section")).findFirst().orElse(""));
        assertTrue(first.find() && firstFn.find() && atAgain.find() && second.find() && secondFn.find(), "gdb's answers:\n" + out);
        assertEquals(again, Integer.parseInt(atAgain.group(1)), "gdb's finish and next reach the second call:\n" + out);

        String where = assertAtGdbsStop(pid, first, firstFn.group(1));
        System.out.println("step into the first strlen (lazy binding): " + where);
        session.step(pid, StepKind.RETURN); // gdb's finish
        stops.next(pid, StopReason.Kind.STEP, 20);
        session.step(pid, StepKind.OVER); // and next
        stops.next(pid, StopReason.Kind.STEP, 20);
        assertEquals(again, session.symbols().lineAt(session.registers(pid).pc()).orElseThrow().line());
        stepInto(pid);
        where = assertAtGdbsStop(pid, second, secondFn.group(1));
        System.out.println("step into the second strlen (bound): " + where);
    }

    /** The thread's pc is where gdb's step stopped: the same function, file and line. Says where. */
    private String assertAtGdbsStop(int pid, Matcher gdbLine, String gdbFunction) {
        long pc = session.registers(pid).pc();
        String function = session.symbols().functionAt(pc).map(FunctionInfo::name).orElse("?");
        SourcePosition at = session.symbols().lineAt(pc).orElseThrow();
        String where = function + " at " + at.file() + ":" + at.line();
        assertEquals(gdbFunction, function, "gdb's function: " + where);
        assertTrue(at.file().endsWith(Path.of(gdbLine.group(2)).getFileName().toString()), "gdb's file " + gdbLine.group(2) + ": " + where);
        assertEquals(Integer.parseInt(gdbLine.group(1)), at.line(), "gdb's line: " + where);
        return where;
    }

    /**
     * The line where gdb's first stop at {@code start} (a breakpoint, deleted then) is, then after each step,
     * until the step that reaches line {@code last}.
     */
    private static List<Integer> gdb(Path exe, String start, String command, int last) throws Exception {
        StringBuilder script = new StringBuilder();
        script.append("break ").append(start).append("\nrun\ndelete\necho @@@\\n\ninfo line *$pc\n");
        for (int i = 0; i < 300; i++) {
            script.append(command).append("\necho @@@\\n\ninfo line *$pc\n");
        }
        String text = GdbScript.run(exe, script.toString());
        List<Integer> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = INFO_LINE.matcher(line);
            if (m.find()) {
                assertTrue(m.group(2).endsWith("lines.c"), "gdb left lines.c before its printf: " + line + "\n" + text);
                lines.add(Integer.parseInt(m.group(1)));
                if (lines.get(lines.size() - 1) == last) {
                    return lines;
                }
            }
        }
        throw new AssertionError("gdb never reached line " + last + ":\n" + text);
    }
}
