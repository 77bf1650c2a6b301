package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Signals gdb delivers while stepping, and the siginfo the program's handler sees. */
class SignalStepTest {

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
        if (traced != null) {
            ProcessHandle.of(traced.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (server != null) {
            server.close();
        }
        tracing.close();
    }

    private int serve(String... command) throws Exception {
        server = new GdbServer(tracing, null, 0, new GdbServer.Options(true, false, false),
                new java.io.PrintWriter(new java.io.OutputStreamWriter(serverLog, StandardCharsets.UTF_8), true));
        traced = tracing.process(server.launch(List.of(command))).orElseThrow();
        server.start();
        return server.port();
    }

    private String show(Gdb.Run run) {
        return run.output() + "\n--- server:\n" + serverLog.toString(StandardCharsets.UTF_8);
    }

    /** queue-signal then stepi (vCont;S): the step ends at the handler's first instruction, as with native gdb. */
    @Test
    void stepiWithAQueuedSignalStopsAtTheHandlersFirstInstruction() throws Exception {
        String demo = Gdb.program("demo");
        int port = serve(demo);
        Gdb.Run run = Gdb.run(demo, List.of(
                "target remote 127.0.0.1:" + port,
                "break compute",
                "continue",
                "queue-signal SIGUSR1",
                "stepi",
                "p $pc == (void *) on_usr1",
                "bt 1",
                "delete",
                "continue"));
        assertTrue(run.has("$1 = 1"), show(run));
        assertTrue(run.has("#0  on_usr1"), show(run));
        assertTrue(run.has("exited with code 052"), show(run));
        String out = new String(traced.stdout().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("handler got signal 10\nresult=42 factor=3 usr1=1\n", out, show(run));
        assertEquals(42, traced.exitStatus().get(30, TimeUnit.SECONDS).code());
    }
}
