package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.multitrace.core.Tracing;
import dev.multitrace.engines.probe.Probe;
import dev.multitrace.engines.probe.ProbeEngine;
import dev.multitrace.rsp.GdbServer;
import dev.multitrace.testing.TestPrograms;

/**
 * The probe engine and the GDB stub on one process: a real gdb, connected to the stub, breaks in visit()
 * and prints there while the probe, on the same function's int3, prints at every call; each sees all of
 * its own, and the program's exit reaches gdb.
 */
class ProbeWithGdbStubTest {

    @Test
    void gdbThroughTheStubAndAProbeShareTheProgramAndItsInt3() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/gdb")), "gdb is not installed (/usr/bin/gdb)");
        String prog = TestPrograms.path("probeprog").toString();
        StringWriter printed = new StringWriter();
        StringWriter log = new StringWriter();
        try (Tracing tracing = Tracing.start();
                GdbServer server = new GdbServer(tracing, null, 0, new GdbServer.Options(true, false, false), new PrintWriter(log, true))) {
            ProbeEngine probe = new ProbeEngine(tracing, List.of(Probe.dprintf("visit,\"probe %d %d\\n\",it->id,depth")), printed);
            // while the stub holds the new process: the probe is in before its first instruction
            server.onNewProcess(probe::join);
            server.launch(List.of(prog, "2"));
            Thread serving = server.start();
            Process gdb = new ProcessBuilder("/usr/bin/gdb", "-nx", "-batch", "-ex", "set debuginfod enabled off", "-ex",
                    "target remote 127.0.0.1:" + server.port(), "-ex", "break visit", "-ex", "continue", "-ex", "print it->id", "-ex", "continue",
                    "-ex", "print it->label", "-ex", "delete", "-ex", "continue", prog).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(gdb.waitFor(60, TimeUnit.SECONDS), out);
            serving.join(20_000);
            probe.awaitAllGone(java.time.Duration.ofSeconds(10));

            assertTrue(out.contains("$1 = 10\n"), out);
            assertTrue(out.contains("$2 = 0x") && out.contains(" \"second\"\n"), out);
            assertTrue(out.contains("exited with code 03"), out);
            assertEquals("probe 10 0\nprobe 20 1\nprobe 30 2\n".repeat(2), printed.toString(), "the probe saw every call, gdb's stops included");
            assertEquals(6, probe.hits());
        }
    }
}
