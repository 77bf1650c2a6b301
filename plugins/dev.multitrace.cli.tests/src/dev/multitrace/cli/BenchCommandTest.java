package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.multitrace.cli.bench.PeerBench;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code multitrace bench --quick} on the two smallest workloads, in-process: a smoke test of the
 * benchmark's plumbing (the C programs the build compiled, the service, the peers, the JSON). It
 * checks what was measured, never how fast: benchmarks are not timed tests.
 */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void quickRunWritesEveryMedianAsAPositiveNumber() throws Exception {
        Path json = dir.resolve("bench.json");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("bench", "--quick", "--json", json.toString(), "syscall", "breakpoint", "watch");
        assertEquals(0, code, out + "\n" + err);

        JsonObject all = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertEquals(List.of("syscall", "breakpoint", "watch-software"), new ArrayList<>(all.keySet()));
        List<String> syscallKeys = new ArrayList<>(List.of("service", "c"));
        if (PeerBench.available("strace")) {
            syscallKeys.add("strace");
        }
        List<String> breakpointKeys = new ArrayList<>(List.of("service", "c"));
        if (PeerBench.available("gdb")) {
            breakpointKeys.add("gdb");
        }
        checkMedians(all.getAsJsonObject("syscall"), "us/stop", syscallKeys);
        checkMedians(all.getAsJsonObject("breakpoint"), "us/hit", breakpointKeys);
        // software watchpoints against the same method in C and gdb's own (can-use-hw-watchpoints 0)
        checkMedians(all.getAsJsonObject("watch-software"), "us/write", breakpointKeys);
        assertTrue(out.toString().contains("service/C"), out.toString());
    }

    @Test
    void anUnknownWorkloadIsAUsageError() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        assertEquals(Main.EXIT_USAGE, cl.execute("bench", "--quick", "sycall"));
        assertTrue(err.toString().contains("unknown workload 'sycall'"), err.toString());
    }

    private static void checkMedians(JsonObject w, String unit, List<String> keys) {
        assertEquals(unit, w.get("unit").getAsString(), w.toString());
        for (String k : keys) {
            assertTrue(w.has(k), k + " missing in " + w);
            double v = w.get(k).getAsDouble();
            assertTrue(v > 0 && Double.isFinite(v), k + " = " + v + " in " + w);
        }
    }
}
