package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.multitrace.testing.OrphanProcess;

/** {@code multitrace trace} run in-process: exit codes, where the trace goes, and its errors. */
class TraceCommandTest {

    @TempDir
    Path tmp;

    private final List<Long> started = new ArrayList<>();

    /** Starts {@code sleep 60} through a shell that exits at once: the sleeper is not this JVM's child. */
    private int startSleeper() throws IOException, InterruptedException {
        int pid = OrphanProcess.start(null, "sleep", "60");
        started.add((long) pid);
        return pid;
    }

    @AfterEach
    void killStarted() {
        OrphanProcess.killAll(started);
    }

    private static String status(long pid, String field) {
        return OrphanProcess.status(pid, field);
    }

    @Test
    void exitCodeIsTheProgramsAndTheTraceGoesToStderr() {
        CliRun r = CliRun.of("trace", "/bin/sh", "-c", "exit 5");
        assertEquals(5, r.code(), r.err());
        assertTrue(r.err().startsWith("execve(\"/bin/sh\", [\"/bin/sh\", \"-c\", \"exit 5\"], 0x"), r.err());
        assertTrue(r.err().endsWith("exit_group(5)                           = ?\n+++ exited with 5 +++\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void aProgramKilledBySignalGives128PlusTheSignal() {
        CliRun r = CliRun.of("trace", "-e", "trace=kill", "/bin/sh", "-c", "kill -9 $$");
        assertEquals(128 + 9, r.code(), r.err());
        assertTrue(r.err().matches("(?s)kill\\(\\d+, SIGKILL\\) += \\?\n\\+\\+\\+ killed by SIGKILL \\+\\+\\+\n"), r.err());
    }

    @Test
    void outputFileWithFollowPrefixesEveryLineWithItsPid() throws IOException {
        Path file = tmp.resolve("trace.txt");
        CliRun r = CliRun.of("trace", "-f", "-o", file.toString(), "-e", "trace=execve,wait4,exit_group",
                "/bin/sh", "-c", "/bin/true; exit 4");
        assertEquals(4, r.code(), r.err());
        assertEquals("", r.err());
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.size() >= 5, lines.toString());
        for (String l : lines) {
            assertTrue(l.matches("\\d+ +\\S.*"), "pid prefix in -o with -f: " + l);
        }
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d+ +execve\\(\"/bin/true\", \\[\"/bin/true\"\\], 0x.*")),
                lines.toString());
        assertTrue(lines.get(lines.size() - 1).matches("\\d+ +\\+\\+\\+ exited with 4 \\+\\+\\+"), lines.toString());
    }

    @Test
    void optionsAfterTheProgramAreThePrograms() {
        CliRun r = CliRun.of("trace", "-e", "trace=none", "/bin/sh", "-c", "exit 6", "-f", "-o", "x");
        assertEquals(6, r.code(), r.err());
        assertEquals("+++ exited with 6 +++\n", r.err());
    }

    @Test
    void unknownSyscallNamesAreUsageErrors() {
        CliRun r = CliRun.of("trace", "-e", "trace=openat,opnat", "/bin/true");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("invalid system call 'opnat'"), r.err());
    }

    @Test
    void nothingToTraceIsAUsageError() {
        CliRun r = CliRun.of("trace");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("give either -p PID or a program"), r.err());
        r = CliRun.of("trace", "-p", "1", "/bin/true");
        assertEquals(2, r.code());
    }

    @Test
    void aMissingProgramIsAClearError() throws IOException {
        CliRun r = CliRun.of("trace", "/nonexistent/program");
        assertEquals(1, r.code());
        assertEquals("multitrace trace: cannot run /nonexistent/program: no such file\n", r.err());
        r = CliRun.of("trace", "no-such-program-anywhere");
        assertEquals(1, r.code());
        assertEquals("multitrace trace: cannot find program 'no-such-program-anywhere' in PATH\n", r.err());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a program\n");
        r = CliRun.of("trace", text.toString());
        assertEquals(1, r.code());
        assertEquals("multitrace trace: cannot run " + text + ": not an executable file\n", r.err());
    }

    @Test
    void aMissingPidIsAClearError() {
        CliRun r = CliRun.of("trace", "-p", "4194303");
        assertEquals(1, r.code());
        assertEquals("multitrace trace: cannot attach to 4194303: no such process\n", r.err());
    }

    @Test
    void aProcessTracedByAnotherTracerIsRefusedWithTheReason() throws Exception {
        int pid = startSleeper();
        Process strace = new ProcessBuilder("/usr/bin/strace", "-p", Integer.toString(pid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ("0".equals(status(pid, "TracerPid")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            CliRun r = CliRun.of("trace", "-p", Integer.toString(pid));
            assertEquals(1, r.code());
            assertTrue(r.err().startsWith("multitrace trace: cannot attach to " + pid + ": not permitted: "), r.err());
            assertTrue(r.err().contains("strace"), "the reason names the other tracer: " + r.err());
        } finally {
            strace.destroy();
            strace.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void interruptEndsALaunchedProgramThatDoesNotEndByItself() throws Exception {
        BackgroundTrace trace = new BackgroundTrace("-e", "trace=clock_nanosleep", "sleep", "60");
        trace.awaitErr("clock_nanosleep(");
        // Here only the tracer is interrupted (a terminal's Ctrl-C would reach the program too):
        // after a grace period the program is killed, as it would not be left behind traced.
        long start = System.nanoTime();
        int code = trace.interruptAndJoin();
        assertEquals(130, code, trace.err());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
        assertTrue(trace.err().endsWith(" <detached ...>\n"), trace.err());
    }

    @Test
    void interruptDetachesAndLeavesTheProcessRunning() throws Exception {
        int pid = startSleeper();
        BackgroundTrace trace = new BackgroundTrace("-p", Integer.toString(pid));
        // sleep is in clock_nanosleep: after the attach it resumes it through restart_syscall, named
        // by the call /proc showed at the attach (strace 6.1 says "read" there, knowing nothing).
        trace.awaitErr("restart_syscall(");
        assertTrue(trace.err().startsWith("multitrace trace: Process " + pid + " attached\n"
                + "restart_syscall(<... resuming interrupted clock_nanosleep ...>"), trace.err());
        assertFalse("0".equals(status(pid, "TracerPid")));
        int code = trace.interruptAndJoin();
        assertEquals(0, code, trace.err());
        assertTrue(trace.err().endsWith(" <detached ...>\nmultitrace trace: Process " + pid + " detached\n"), trace.err());
        assertEquals("0", status(pid, "TracerPid"));
        assertTrue(status(pid, "State").startsWith("S"), status(pid, "State"));
    }

    /** {@code multitrace trace ARGS} on its own thread with its stderr captured, so that a test can interrupt it mid-trace. */
    private static final class BackgroundTrace {
        private final StringWriter err = new StringWriter();
        private final TraceCommand command = new TraceCommand();
        private final Thread thread;
        /** Written by the command's thread; read after join, which orders the write before the read. */
        private int code = -1;

        BackgroundTrace(String... args) {
            CommandLine cl = new CommandLine(command);
            cl.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> code = cl.execute(args));
            thread.start();
        }

        /** What the command wrote to stderr so far. */
        String err() {
            return err.toString();
        }

        /** Waits (20 s at most; the assertions that follow say what was missing) until stderr contains {@code text}. */
        void awaitErr(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!err().contains(text) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        /** Interrupts the command as Ctrl-C does and waits for it to end; its exit code. */
        int interruptAndJoin() throws InterruptedException {
            command.interrupt();
            thread.join(20_000);
            assertFalse(thread.isAlive());
            return code;
        }
    }
}
