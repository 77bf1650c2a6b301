package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;
import dev.multitrace.linux.Stdio;
import dev.multitrace.linux.Wait;
import dev.multitrace.linux.WaitResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.multitrace.testing.TestPrograms;

/**
 * {@code multitrace gdbserver} run in-process with gdbserver's command lines, and the real gdb
 * connecting to it (gdb is an untraced helper: ProcessBuilder is fine for it).
 */
class GdbserverCommandTest {

    private final List<SpawnedProcess> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (SpawnedProcess p : started) {
            if (LibC.kill(p.pid(), 0) == 0) {
                LibC.kill(p.pid(), Signal.SIGKILL);
            }
            p.close();
        }
    }

    static String program(String name) {
        return TestPrograms.path(name).toString();
    }

    /** A running `multitrace gdbserver ...`: its exit code, once it ends, and what it printed. */
    private record Server(CompletableFuture<Integer> exit, StringWriter err) {
        int port() throws InterruptedException {
            Pattern listening = Pattern.compile("Listening on port (\\d+)");
            for (int i = 0; i < 3000; i++) {
                Matcher m = listening.matcher(text());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
                if (exit.isDone()) {
                    break;
                }
                Thread.sleep(10);
            }
            throw new AssertionError("no 'Listening on port': " + text());
        }

        String text() {
            synchronized (err) {
                return err.toString();
            }
        }
    }

    private static Server start(String... args) {
        StringWriter err = new StringWriter();
        PrintWriter pw = new PrintWriter(err, true);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            var cl = new picocli.CommandLine(new Main());
            cl.setErr(pw);
            cl.setOut(pw);
            String[] all = new String[args.length + 1];
            all[0] = "gdbserver";
            System.arraycopy(args, 0, all, 1, args.length);
            return cl.execute(all);
        });
        return new Server(exit, err);
    }

    private static String gdb(String program, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/gdb", "-batch", "-nx", "-iex", "set debuginfod enabled off"));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        cmd.add(program);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return out;
    }

    @Test
    void launchesLikeGdbserverAndExitsAfterTheClient() throws Exception {
        String waiter = program("waiter");
        Server s = start("--once", ":0", waiter, "--go"); // the program's own option, not ours
        int port = s.port();
        assertTrue(s.text().matches("(?s)Process " + Pattern.quote(waiter) + " --go created; pid = \\d+\n.*"), s.text());
        String out = gdb(waiter, "target remote :" + port, "break finish", "continue", "p code", "continue");
        assertTrue(out.contains("Breakpoint 1, finish (code=4)"), out + s.text());
        assertTrue(out.contains("exited with code 04"), out + s.text());
        assertEquals(0, s.exit().get(30, TimeUnit.SECONDS), s.text());
    }

    @Test
    void attachesInBothArgumentOrders() throws Exception {
        String waiter = program("waiter");
        for (boolean gdbserverOrder : new boolean[] {true, false}) {
            SpawnedProcess p = Spawner.of(waiter).stderr(Stdio.INHERIT).start();
            started.add(p);
            p.release();
            BufferedReader stdout = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8));
            assertEquals("ready", stdout.readLine());
            String pid = Integer.toString(p.pid());
            Server s = gdbserverOrder ? start("--once", "--attach", "127.0.0.1:0", pid) : start("--once", "--attach", pid, ":0");
            int port = s.port();
            assertTrue(s.text().contains("Attached; pid = " + pid), s.text());
            String out = gdb(waiter, "target remote 127.0.0.1:" + port, "p release_me", "set var release_me = 1", "detach");
            assertTrue(out.contains("$1 = 0"), out + s.text());
            assertTrue(out.contains("detached"), out + s.text());
            assertEquals(0, s.exit().get(30, TimeUnit.SECONDS), s.text());
            WaitResult r = Wait.waitpid(p.pid(), PtraceConstants.__WALL | PtraceConstants.__WNOTHREAD);
            assertTrue(r.status().exited(), r.toString());
            assertEquals(4, r.status().exitCode(), "the program ran on after the detach and finished by itself");
            assertEquals("released", stdout.readLine());
        }
    }

    @Test
    void badCommandLinesAreUsageErrors() throws Exception {
        assertEquals(Main.EXIT_USAGE, start("--once", "nonsense", "/bin/true").exit().get(30, TimeUnit.SECONDS));
        assertEquals(Main.EXIT_USAGE, start(":0").exit().get(30, TimeUnit.SECONDS));
        assertEquals(Main.EXIT_USAGE, start("--attach", ":0").exit().get(30, TimeUnit.SECONDS));
        Server s = start("--once", ":0", "/no/such/program");
        assertEquals(1, s.exit().get(30, TimeUnit.SECONDS), s.text());
        assertTrue(s.text().contains("multitrace gdbserver: "), s.text());
    }
}
