package dev.multitrace.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The syscall tracer against the real strace, on the same programs: the same lines once
 * addresses, pids and the environment size are normalized, the same exit codes.
 */
class SyscallTracerTest {

    @TempDir
    Path tmp;

    private static List<String> cmd(String program, String... args) {
        List<String> c = new ArrayList<>();
        c.add(Programs.path(program));
        c.addAll(List.of(args));
        return c;
    }

    /** strace's layout of a short call: the result's {@code =} in column 40. */
    private static String line(String call, String result) {
        return String.format("%-39s = %s", call, result);
    }

    private static List<String> lines(String trace) {
        return List.of(trace.split("\n"));
    }

    /** Lines with no address or pid in them, exactly as printed (alignment included). */
    private static List<String> stableLines(String trace) {
        var pids = TraceText.pids(trace);
        return lines(trace).stream()
                .filter(l -> !l.contains("0x") && pids.stream().noneMatch(p -> l.matches(".*\\b" + p + "\\b.*")))
                .filter(l -> !l.contains(" vars */"))
                .toList();
    }

    private Path dataFile() throws Exception {
        Path f = tmp.resolve("data.txt");
        Files.write(f, "line one\nline two has \001 binary \377 and \"quotes\", longer than 32 bytes\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        return f;
    }

    @Test
    void fileAndSignalCallsMatchStraceLineForLine() throws Exception {
        List<String> c = cmd("fileio", dataFile().toString());
        Strace.Run expected = Strace.run(List.of(), c);
        Traced.Run actual = Traced.run(List.of(), false, c);

        assertEquals(expected.exitCode(), 3);
        assertEquals(3, actual.status().code());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        // Where nothing run-dependent appears, the text is identical, padding to column 40 included.
        List<String> stable = stableLines(expected.trace());
        assertTrue(stable.size() > 25, "enough stable lines to compare: " + stable);
        assertEquals(stable, stableLines(actual.trace()));
        // A few lines spelled out, so that a regression in both at once cannot hide.
        List<String> ours = lines(actual.trace());
        assertTrue(ours.contains(line("write(1, \"hello \\\"quoted\\\"\\t\\\\\\n\", 17)", "17")), actual.trace());
        assertTrue(ours.contains("openat(AT_FDCWD, \"/nonexistent/dir/file\", O_RDONLY) = -1 ENOENT (No such file or directory)"));
        assertTrue(ours.contains(line("close(3)", "0")));
        assertTrue(ours.contains(line("close(3)", "-1 EBADF (Bad file descriptor)")));
        assertTrue(ours.contains(line("write(3, \"\\1\\2\\3x7\\377\", 6)", "6")), actual.trace());
        assertTrue(ours.contains(line("pipe2([3, 4], O_CLOEXEC)", "0")));
        assertTrue(ours.contains(line("umask(022)", "022")));
        assertTrue(ours.stream().anyMatch(l -> l.matches(
                "--- SIGUSR1 \\{si_signo=SIGUSR1, si_code=SI_USER, si_pid=\\d+, si_uid=\\d+\\} ---")), actual.trace());
        assertEquals("+++ exited with 3 +++", ours.get(ours.size() - 1));
        // The path in full (a path is never cut), argv's strings cut at 32 bytes as strace cuts them.
        assertTrue(ours.get(0).startsWith("execve(\"" + c.get(0) + "\", [\""), ours.get(0));
        assertTrue(ours.get(0).matches("execve\\(\"[^\"]*\", \\[(\"[^\"]{0,32}\"(\\.\\.\\.)?(, )?){2}\\], 0x[0-9a-f]+ /\\* \\d+ vars \\*/\\) = 0"),
                ours.get(0));
    }

    @Test
    void socketsPollStatxFutexSignalMasksAndMoreMatchStrace() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("scratch"));
        Path suid = Files.createFile(dir.resolve("suid"));
        Files.setPosixFilePermissions(suid, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        // setuid by chmod: PosixFilePermissions has no set-id bits.
        new ProcessBuilder("chmod", "4755", suid.toString()).start().waitFor();
        List<String> c = cmd("decoders", dir.toString());
        Strace.Run expected = Strace.run(List.of(), c);
        Traced.Run actual = Traced.run(List.of(), false, c);

        assertEquals(0, actual.status().code());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        List<String> ours = lines(actual.trace());
        assertTrue(ours.contains(line("socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)", "3")), actual.trace());
        assertTrue(ours.stream().anyMatch(l -> l.startsWith("newfstatat(AT_FDCWD, \"" + suid + "\", {st_mode=S_IFREG|S_ISUID|0755, ")));
        assertTrue(ours.contains("connect(3, {sa_family=AF_UNIX, sun_path=\"/nonexistent/socket\"}, 110) = -1 ENOENT (No such file or directory)"));
        assertTrue(ours.contains(line("rt_sigprocmask(SIG_BLOCK, [USR2 TERM], NULL, 8)", "0")));
        assertTrue(ours.stream().anyMatch(l -> l.matches("getdents64\\(3, 0x[0-9a-f]+ /\\* 3 entries \\*/, 4096\\) += 72")), actual.trace());
    }

    @Test
    void callsSeenCountsEverySyscallLine() throws Exception {
        Traced.Run run = Traced.run(List.of(), false, cmd("fileio", dataFile().toString()));
        long syscallLines = lines(run.trace()).stream().filter(l -> !l.startsWith("---") && !l.startsWith("+++")).count();
        assertEquals(syscallLines, run.callsSeen());
    }

    @Test
    void threadsWithFollowMatchStracePerThread() throws Exception {
        // futex calls depend on timing (a join may or may not have to wait): leave them out of both.
        List<String> e = List.of("trace=!futex");
        List<String> c = cmd("threads");
        Strace.Run expected = Strace.run(List.of("-f", "-e", "trace=!futex"), c);
        Traced.Run actual = Traced.run(e, true, c);

        assertEquals(0, actual.status().code());
        var tasks = TraceText.byTask(actual.trace());
        assertEquals(4, tasks.size(), actual.trace());
        assertTrue(actual.trace().contains("[pid "), "lines name their thread while several run");
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
    }

    @Test
    void forkedChildrenExitCodesAndSignalsMatchStrace() throws Exception {
        List<String> c = cmd("forkwait");
        Strace.Run expected = Strace.run(List.of("-f"), c);
        Traced.Run actual = Traced.run(List.of(), true, c);

        assertEquals(expected.exitCode(), actual.status().code());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        String t = actual.trace();
        assertTrue(t.matches("(?s).*\\[pid +\\d+\\] \\+\\+\\+ exited with 7 \\+\\+\\+\n.*"), t);
        assertTrue(t.matches("(?s).*\\[pid +\\d+\\] \\+\\+\\+ killed by SIGKILL \\+\\+\\+\n.*"), t);
        assertTrue(t.matches("(?s).*--- SIGCHLD \\{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=\\d+, si_uid=0, "
                + "si_status=7, si_utime=\\d+, si_stime=\\d+\\} ---.*"), t);
        assertTrue(t.matches("(?s).*--- SIGCHLD \\{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=\\d+, si_uid=0, "
                + "si_status=SIGKILL, .*"), t);
        // The parent's wait4 is cut by the child's lines: joined, it reads as one call.
        List<String> joined = TraceText.byTask(t).values().stream().flatMap(List::stream).toList();
        assertTrue(joined.stream().anyMatch(l -> l.matches(
                "wait4\\(\\d+, \\[\\{WIFEXITED\\(s\\) && WEXITSTATUS\\(s\\) == 7\\}\\], 0, NULL\\) += \\d+")), t);
        assertTrue(joined.stream().anyMatch(l -> l.matches(
                "wait4\\(\\d+, \\[\\{WIFSIGNALED\\(s\\) && WTERMSIG\\(s\\) == SIGKILL\\}\\], 0, NULL\\) += \\d+")), t);
        assertTrue(t.endsWith("+++ exited with 5 +++\n"), t);
    }

    @Test
    void callsCutShortByAnotherThreadsExitAreShownAsStraceShowsThem() throws Exception {
        List<String> c = cmd("exitblocked");
        Strace.Run expected = Strace.run(List.of("-f"), c);
        Traced.Run actual = Traced.run(List.of(), true, c);
        assertEquals(4, actual.status().code());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        // Each blocked reader: its read left open, resumed with no result, then its exit.
        long cut = actual.trace().lines().filter(l -> l.matches("\\[pid +\\d+\\] <\\.\\.\\. read resumed> <unfinished \\.\\.\\.>\\) += \\?")).count();
        assertEquals(2, cut, actual.trace());
        assertEquals(2, actual.trace().lines().filter(l -> l.matches("\\[pid +\\d+\\] \\+\\+\\+ exited with 4 \\+\\+\\+")).count(),
                actual.trace());
    }

    @Test
    void toAFileWithFollowEveryLineStartsWithItsPidAsStraceWritesIt() throws Exception {
        List<String> c = cmd("forkwait");
        Strace.Run expected = Strace.runToFile(List.of("-f"), c);
        Traced.Run actual = Traced.run(List.of(), true, true, c);
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        for (String l : lines(actual.trace())) {
            assertTrue(l.matches("\\d+ +\\S.*"), l);
        }
        // The pid column is five wide: the syscall starts in the same column on every line.
        assertTrue(lines(actual.trace()).stream().allMatch(l -> l.matches("\\d{5,} .*|\\d{1,4} +.*")));
    }

    @Test
    void killedProgramEndsWithKilledBy() throws Exception {
        List<String> c = cmd("selfkill");
        Strace.Run expected = Strace.run(List.of(), c);
        Traced.Run actual = Traced.run(List.of(), false, c);
        assertEquals(9, actual.status().signal());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        List<String> ours = lines(actual.trace());
        assertTrue(ours.get(ours.size() - 2).matches("kill\\(\\d+, SIGKILL\\) += \\?"), actual.trace());
        assertEquals("+++ killed by SIGKILL +++", ours.get(ours.size() - 1));
    }

    @Test
    void aFaultShowsItsSiginfoAndTheDeath() throws Exception {
        List<String> c = cmd("segv");
        Strace.Run expected = Strace.run(List.of(), c);
        Traced.Run actual = Traced.run(List.of(), false, c);
        assertEquals(11, actual.status().signal());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        List<String> ours = lines(actual.trace());
        assertEquals(List.of("--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL} ---", "+++ killed by SIGSEGV +++"),
                ours.subList(ours.size() - 2, ours.size()));
    }

    @Test
    void filtersSelectTheSameLinesAsStrace() throws Exception {
        List<String> c = cmd("fileio", dataFile().toString());
        for (String e : List.of("trace=openat,read", "%file", "trace=!close,mmap,mprotect", "trace=%desc",
                "trace=%signal", "trace=%process", "trace=%memory", "write", "trace=none", "trace=/^(open|close)",
                "trace=?nosuchcall,read")) {
            Strace.Run expected = Strace.run(List.of("-e", e), c);
            Traced.Run actual = Traced.run(List.of(e), false, c);
            assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()),
                    "-e " + e);
        }
    }

    @Test
    void unknownSyscallNamesAreRefusedWithTheName() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SyscallFilter.parse("trace=openat,opnat"));
        assertTrue(e.getMessage().contains("'opnat'"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SyscallFilter.parse("%files"));
        assertTrue(e.getMessage().contains("%files"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SyscallFilter.parse("trace=/(unclosed"));
        assertTrue(e.getMessage().contains("(unclosed"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SyscallFilter.parse("signal=SIGINT"));
        assertTrue(e.getMessage().contains("signal"), e.getMessage());
    }
}
