package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.testing.TestPrograms;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A step into a call of a shared library's function goes through the program's PLT stub (and, at the first call,
 * the dynamic linker's lazy binding) into the function, where gdb's {@code step} stops: {@code stepcall} calls
 * {@code lib_twice} of its own {@code libsteplib.so}. Before, the stub had no function and the call was run over.
 */
class PltStepTest {

    private static final Pattern INFO_LINE = Pattern.compile("Line (\\d+) of \"([^\"]*)\"");

    private DebugSession session;
    private final Stops stops = new Stops();

    @AfterEach
    void end() {
        if (session != null && !session.isEnded()) {
            session.terminate();
        }
    }

    @Test
    void aStepIntoACallThroughThePltEntersTheLibrarysFunctionAsGdbsStep() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        int call = TestPrograms.mark("stepcall", "call");
        String gdbLine = gdbStepFrom(TestPrograms.path("stepcall"), "stepcall.c:" + call);
        Matcher g = INFO_LINE.matcher(gdbLine);
        assertTrue(g.find() && g.group(2).endsWith("steplib.c"), "gdb's step enters lib_twice in steplib.c: " + gdbLine);

        session = DebugSession.launch(Samples.spec("stepcall"), true);
        session.addListener(stops);
        session.start(DebugSession.StopMode.MAIN);
        int pid = session.pid();
        stops.next(pid, StopReason.Kind.MAIN);
        CodeBreakpoint bp = new CodeBreakpoint("stepcall.c:" + call, session.symbols().addressesFor("stepcall.c", call), null, 0,
                java.util.Set.of(), null);
        session.addBreakpoint(bp);
        session.resumeAll();
        stops.next(pid, StopReason.Kind.BREAKPOINT);
        session.removeBreakpoint(bp);

        session.step(pid, StepKind.INTO);
        stops.next(pid, StopReason.Kind.STEP, 20);
        long pc = session.registers(pid).pc();
        assertEquals("lib_twice", session.symbols().functionAt(pc).map(FunctionInfo::name).orElse("?"), "the step entered the library's function");
        SourcePosition at = session.symbols().lineAt(pc).orElseThrow();
        assertTrue(at.file().endsWith("steplib.c"), at.toString());
        assertEquals(Integer.parseInt(g.group(1)), at.line(), "gdb's line in lib_twice");
        assertEquals(TestPrograms.mark("steplib", "lib-body"), at.line(), "past lib_twice's prologue, at its first statement");
        System.out.println("step into lib_twice through the PLT: line " + at.line() + " of steplib.c, as gdb's step");
    }

    /** gdb's line after one {@code step} from the first stop at {@code location}. */
    private static String gdbStepFrom(Path exe, String location) throws Exception {
        String script = "set pagination off\nset confirm off\nset debuginfod enabled off\nset startup-with-shell off\n"
                + "break " + location + "\nrun\ndelete\nstep\necho @@@\\n\ninfo line *$pc\n";
        Path file = Files.createTempFile("pltstep", ".gdb");
        try {
            Files.writeString(file, script);
            // gdb is no tracee of ours (it traces its own): the JDK's process machinery is fine for it
            Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-x", file.toString(), exe.toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] out;
            try (var in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gdb timed out");
            String text = new String(out, StandardCharsets.UTF_8);
            int at = text.indexOf("@@@");
            assertTrue(at >= 0, text);
            return text.substring(at);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
