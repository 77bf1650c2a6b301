package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real gdb debugging a real program through our server, as a user would with gdbserver. */
class GdbSessionTest {

    private Tracing tracing;
    private GdbServer server;
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
    private TracedProcess traced;

    @BeforeEach
    void start() {
        tracing = Tracing.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        tracing.close();
    }

    /** Starts a server on a free loopback port with {@code command} launched, like `gdbserver :0 PROG`. */
    private int serve(boolean once, String... command) throws Exception {
        server = new GdbServer(tracing, null, 0, new GdbServer.Options(once, false, false),
                new PrintStream(serverLog, true, StandardCharsets.UTF_8));
        int pid = server.launch(List.of(command));
        traced = tracing.process(pid).orElseThrow();
        server.start();
        return server.port();
    }

    private String programOutput() throws Exception {
        return new String(traced.stdout().readAllBytes(), StandardCharsets.UTF_8);
    }

    private ExitStatus exit() throws Exception {
        return traced.exitStatus().get(30, TimeUnit.SECONDS);
    }

    @Test
    void breakContinueRegistersBacktraceAndExit() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(true, demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break square",
                "continue",
                "bt",
                "p $rip == (long) &square + 0 || 1",
                "info registers rip",
                "p x",
                "continue",
                "p x",
                "delete",
                "continue"));
        String log = serverLog.toString(StandardCharsets.UTF_8);
        System.out.println(run.output() + "\n--- server:\n" + log);
        assertTrue(run.has("Breakpoint 1, square (x=0)"), run.output() + "\n--- server:\n" + log);
        assertTrue(run.has("#1 ") && run.has("compute"), run.output());
        assertTrue(run.has("rip "), run.output());
        assertTrue(run.has("$3 = 1"), run.output());
        assertTrue(run.has("exited with code 052"), run.output());
        assertEquals("result=42 factor=3 usr1=0\n", programOutput());
        assertEquals(42, exit().code());
    }
}
