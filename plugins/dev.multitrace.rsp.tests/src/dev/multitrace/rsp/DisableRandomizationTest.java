package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.multitrace.core.Tracing;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * gdb's {@code set disable-randomization} through extended-remote (QDisableRandomization): on, its
 * default, a PIE program has the same stack and load address in every {@code run}, so a breakpoint
 * set by address in one run is hit in the next; off, the addresses change.
 */
class DisableRandomizationTest {

    private static final Pattern ADDRESSES = Pattern.compile("ADDR sp=(\\w+) main=(\\w+) squares=(\\w+)");

    private final Tracing tracing = Tracing.start();
    private final ByteArrayOutputStream serverLog = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        tracing.close();
    }

    private String show(Gdb.Run run) {
        return run.output() + "\n--- server log:\n" + serverLog.toString(StandardCharsets.UTF_8);
    }

    private static List<String> addresses(Gdb.Run run) {
        List<String> out = new ArrayList<>();
        Matcher m = ADDRESSES.matcher(run.output());
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static final String PRINT = "printf \"ADDR sp=%lx main=%lx squares=%lx\\n\", $sp, &main, &squares";

    @Test
    void onByDefaultTheSameAddressesInEveryRunAndOffTheyChange() throws Exception {
        // ADDR_NO_RANDOMIZE (0x0040000) on the test itself would make every run the same
        assumeTrue((Integer.parseInt(Files.readString(Path.of("/proc/self/personality")).strip(), 16) & 0x0040000) == 0,
                "the test JVM already runs without randomization");
        boolean randomizing = !Files.readString(Path.of("/proc/sys/kernel/randomize_va_space")).strip().equals("0");
        String demo = Gdb.program("demo");
        GdbServer server = new GdbServer(tracing, null, 0, new GdbServer.Options(false, true, false),
                new java.io.PrintWriter(new java.io.OutputStreamWriter(serverLog, StandardCharsets.UTF_8), true));
        Thread serving = server.start();
        Gdb.Run run = Gdb.run(demo, List.of(
                "target extended-remote 127.0.0.1:" + server.port(),
                "set remote exec-file " + demo,
                "show disable-randomization",
                "break square",
                "run",
                PRINT,
                "set $at = $pc",
                "delete",
                "kill",
                // by address: not re-set from symbols, so it is inserted where run 1 had square
                "break *$at",
                "run",
                PRINT,
                "printf \"HIT pc=%lx at=%lx\\n\", $pc, $at",
                "delete",
                "kill",
                "set disable-randomization off",
                "break square",
                "run",
                PRINT,
                "kill",
                "run",
                PRINT,
                "kill",
                "monitor exit"));
        assertTrue(run.has("Disabling randomization of debuggee's virtual address space is on."), show(run));
        List<String> a = addresses(run);
        assertEquals(4, a.size(), show(run));
        assertEquals(a.get(0), a.get(1), "disable-randomization on: the same addresses\n" + show(run));
        Matcher hit = Pattern.compile("HIT pc=(\\w+) at=(\\w+)").matcher(run.output());
        assertTrue(hit.find(), show(run));
        assertEquals(hit.group(2), hit.group(1), "the breakpoint by address of run 1 stops run 2\n" + show(run));
        assertTrue(run.has("Breakpoint 2, "), show(run));
        if (randomizing) {
            assertNotEquals(a.get(2), a.get(3), "disable-randomization off: the addresses change\n" + show(run));
        }
        serving.join(30_000);
        assertTrue(!serving.isAlive(), show(run));
    }
}
