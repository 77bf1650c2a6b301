package dev.multitrace.rsp;

import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * A test of our server serving one launched program (like `gdbserver :0 PROG`) to the real gdb or
 * a raw client: the tracing service, the server, the program and the server's log, torn down after
 * each test so that no program outlives it.
 */
abstract class ServedProgramTest {

    final Tracing tracing = Tracing.start();
    GdbServer server;
    TracedProcess traced;
    final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

    @AfterEach
    void stopServedProgram() throws Exception {
        if (RemoteSession.REMOTE_DEBUG) {
            System.out.println("--- server log:\n" + log());
        }
        // A program a failed test left running (detached) must not outlive the test.
        if (traced != null) {
            ProcessHandle.of(traced.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (server != null) {
            server.close();
        }
        tracing.close();
    }

    /**
     * Creates the server on a free loopback port with {@code command} launched under it, not yet
     * serving: a test may attach other engines to {@link #traced} before {@code server.start()}.
     */
    void launch(boolean once, String... command) throws Exception {
        server = new GdbServer(tracing, null, 0, new GdbServer.Options(once, false, false),
                new PrintWriter(new OutputStreamWriter(serverLog, StandardCharsets.UTF_8), true));
        traced = tracing.process(server.launch(List.of(command))).orElseThrow();
    }

    /** {@link #launch} and start serving; returns the port to connect to. */
    int serve(boolean once, String... command) throws Exception {
        launch(once, command);
        server.start();
        return server.port();
    }

    String log() {
        return serverLog.toString(StandardCharsets.UTF_8);
    }

    /** What gdb printed and what the server logged, for a failed assertion's message. */
    String show(Gdb.Run run) {
        return run.output() + "\n--- server log:\n" + log();
    }

    String programOutput() throws Exception {
        return new String(traced.stdout().readAllBytes(), StandardCharsets.UTF_8);
    }
}
