package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gdbserver --trace-syscalls}: the syscall tracer engine and gdb's engine on the same
 * process. The trace with gdb breaking, stepping and finishing in the program equals the trace of
 * a run without gdb: gdb's requests are ptrace-level (registers, memory through
 * process_vm_readv, int3 bytes through the service) and cause no syscall of the program. The one
 * named difference: the tracer joins inside the launch's execve (at its exec event), so that
 * first line is "<... execve resumed>) = 0" instead of the whole call. (An interrupt from gdb would add restart_syscall lines: the kernel restarts
 * the interrupted call.)
 */
class GdbserverTraceSyscallsTest {

    @TempDir
    Path dir;

    private static CompletableFuture<Integer> run(StringWriter err, String... args) {
        PrintWriter pw = new PrintWriter(err, true);
        return CompletableFuture.supplyAsync(() -> {
            var cl = new picocli.CommandLine(new Main());
            cl.setErr(pw);
            cl.setOut(pw);
            return cl.execute(args);
        });
    }

    private static int port(StringWriter err, CompletableFuture<Integer> exit) throws InterruptedException {
        Pattern listening = Pattern.compile("Listening on port (\\d+)");
        for (int i = 0; i < 3000 && !exit.isDone(); i++) {
            Matcher m = listening.matcher(err.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no 'Listening on port': " + err);
    }

    /** The trace with what differs from run to run (pids, ASLR addresses) replaced by placeholders. */
    private static List<String> normalized(Path trace) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(trace, StandardCharsets.ISO_8859_1)) {
            Matcher pid = Pattern.compile("^(\\d+) ").matcher(l);
            if (pid.find()) {
                l = l.replaceAll("\\b" + pid.group(1) + "\\b", "PID"); // the prefix, set_tid_address's result...
            }
            lines.add(l.replaceAll("0x[0-9a-f]+", "0xX").replaceAll(" +", " "));
        }
        return lines;
    }

    @Test
    void theTraceWithGdbEqualsTheTraceWithout() throws Exception {
        String program = GdbserverCommandTest.program("chatty");
        Path alone = dir.resolve("alone.trace");
        StringWriter err1 = new StringWriter();
        assertEquals(3, run(err1, "trace", "-f", "-o", alone.toString(), program).get(60, TimeUnit.SECONDS), err1.toString());

        Path withGdb = dir.resolve("gdb.trace");
        StringWriter err2 = new StringWriter();
        CompletableFuture<Integer> server = run(err2, "gdbserver", "--once", "--trace-syscalls=" + withGdb, ":0", program);
        int port = port(err2, server);
        List<String> cmd = List.of("/usr/bin/gdb", "-batch", "-nx", "-iex", "set debuginfod enabled off",
                "-ex", "target remote :" + port, "-ex", "break checkpoint", "-ex", "continue", "-ex", "bt",
                "-ex", "next", "-ex", "stepi", "-ex", "finish", "-ex", "info registers rip", "-ex", "delete",
                "-ex", "continue", program);
        Process gdb = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        gdb.getOutputStream().close();
        String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gdb.waitFor(120, TimeUnit.SECONDS), out);
        assertTrue(out.contains("Breakpoint 1, checkpoint (n=20)"), out + err2);
        assertTrue(out.contains("Value returned is $1 = 41"), out + err2);
        assertTrue(out.contains("exited with code 03"), out + err2);
        assertEquals(0, server.get(60, TimeUnit.SECONDS), err2.toString());

        List<String> expected = normalized(alone);
        assertTrue(expected.get(0).startsWith("PID execve(\"" + program + "\""), expected.get(0));
        List<String> actual = normalized(withGdb);
        assertTrue(actual.size() > 10, actual.toString());
        // The named difference: the tracer joins inside the launch's execve (the stub holds the
        // program at its exec event), so that call's line is its second half only.
        assertEquals("PID <... execve resumed>) = 0", actual.get(0));
        assertEquals(expected.subList(1, expected.size()), actual.subList(1, actual.size()),
                "gdb's breakpoints and steps must not change the program's syscalls");
    }

    /**
     * The syscalls gdb itself causes, named: gdb's interrupt (Ctrl-C) stops the thread inside its
     * nanosleep; the kernel ends that call with ERESTART_RESTARTBLOCK and, on resume, continues it
     * as restart_syscall. Those two lines replace the one clock_nanosleep line of a run without
     * gdb; everything else is the same.
     */
    @Test
    void anInterruptFromGdbAddsOnlyTheRestartOfTheInterruptedCall() throws Exception {
        String program = GdbserverCommandTest.program("sleeper");
        Path alone = dir.resolve("alone.trace");
        StringWriter err1 = new StringWriter();
        assertEquals(0, run(err1, "trace", "-f", "-o", alone.toString(), program).get(60, TimeUnit.SECONDS), err1.toString());

        Path withGdb = dir.resolve("gdb.trace");
        StringWriter err2 = new StringWriter();
        CompletableFuture<Integer> server = run(err2, "gdbserver", "--once", "--trace-syscalls=" + withGdb, ":0", program);
        int port = port(err2, server);
        Process gdb = new ProcessBuilder("/usr/bin/gdb", "-batch", "-nx", "-iex", "set debuginfod enabled off",
                "-ex", "target remote :" + port, "-ex", "continue", "-ex", "bt 1", "-ex", "continue", program)
                .redirectErrorStream(true).start();
        gdb.getOutputStream().close();
        Thread.sleep(1000);
        new ProcessBuilder("kill", "-INT", Long.toString(gdb.pid())).inheritIO().start().waitFor();
        String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gdb.waitFor(120, TimeUnit.SECONDS), out);
        assertTrue(out.contains("received signal SIGINT"), out + err2);
        assertTrue(out.contains("exited normally"), out + err2);
        assertEquals(0, server.get(60, TimeUnit.SECONDS), err2.toString());

        List<String> expected = new ArrayList<>(normalized(alone));
        List<String> actual = new ArrayList<>(normalized(withGdb));
        expected.remove(0); // the execve the tracer joins inside (see above)
        actual.remove(0);
        int sleep = indexOf(expected, "clock_nanosleep(");
        int interrupted = indexOf(actual, "clock_nanosleep(");
        assertTrue(actual.get(interrupted).endsWith("= ? ERESTART_RESTARTBLOCK (Interrupted by signal)"), actual.toString());
        assertTrue(actual.get(interrupted + 1).startsWith("PID restart_syscall(<... resuming interrupted clock_nanosleep ...>) = 0"),
                actual.toString());
        expected.remove(sleep);
        actual.remove(interrupted + 1);
        actual.remove(interrupted);
        assertEquals(expected, actual, "apart from the interrupted call and its restart, the same syscalls");
    }

    private static int indexOf(List<String> lines, String what) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(what)) {
                return i;
            }
        }
        throw new AssertionError("no " + what + " in " + lines);
    }
}
