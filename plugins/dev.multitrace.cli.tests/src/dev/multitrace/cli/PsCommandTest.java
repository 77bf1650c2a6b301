package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.Ptrace;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code multitrace ps} run in-process, on processes this test starts. All processes are
 * spawned, seized, killed and reaped by the test thread (their parent and tracer).
 */
class PsCommandTest {

    private final List<SpawnedProcess> started = new ArrayList<>();

    /**
     * Starts {@code sh -c 'echo ready; read x' TAG} and waits for "ready": after that its
     * command line is final (the gate shell has exec'ed) and it sits in read until killed.
     */
    private SpawnedProcess startShell(String tag) throws IOException {
        SpawnedProcess p = Spawner.of("/bin/sh", "-c", "echo ready; read x", tag).stderr(Stdio.INHERIT).start();
        started.add(p);
        p.release();
        String line = new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine();
        assertEquals("ready", line);
        return p;
    }

    /** Starts a process held at its gate (never exec'ed), ready to be seized. */
    private SpawnedProcess startHeld() {
        SpawnedProcess p = Spawner.of("/bin/true").stderr(Stdio.INHERIT).start();
        started.add(p);
        return p;
    }

    @AfterEach
    void killAll() {
        for (SpawnedProcess p : started) {
            LibC.kill(p.pid(), Signal.SIGKILL);
            WaitResult r;
            do {
                r = Wait.waitpid(p.pid(), PtraceConstants.__WALL | PtraceConstants.__WNOTHREAD);
            } while (!r.status().exited() && !r.status().killed());
            p.close();
        }
    }

    @Test
    void listsASpawnedProcessWithItsCommandLine() throws IOException {
        String tag = "ps-test-" + UUID.randomUUID();
        SpawnedProcess p = startShell(tag);
        CliRun r = CliRun.of("ps");
        assertEquals(0, r.code(), r.err());
        List<String> header = Arrays.asList(r.out().lines().findFirst().orElseThrow().strip().split("\\s+"));
        assertEquals(List.of("PID", "USER", "TRACER", "S", "COMMAND"), header);
        String row = r.row(p.pid());
        assertNotNull(row, "no row for " + p.pid() + " in\n" + r.out());
        assertTrue(row.endsWith("/bin/sh -c echo ready; read x " + tag), row);
        // Untraced: the tracer column shows "-".
        assertEquals("-", row.strip().split("\\s+")[2]);
    }

    @Test
    void columnsAreAligned() throws IOException {
        startShell("ps-align");
        List<String> lines = CliRun.of("ps").out().lines().toList();
        int command = lines.get(0).indexOf("COMMAND");
        for (String l : lines) {
            // Every row has its command exactly under the header, after two spaces of padding.
            assertEquals("  ", l.substring(command - 2, command), l);
            assertFalse(Character.isWhitespace(l.charAt(command)), l);
        }
    }

    @Test
    void argumentWithANewlineStaysOnOneRow() throws IOException {
        // A multi-line sh -c script is a common argv; CI runs under one.
        String tag = "ps-nl-" + UUID.randomUUID();
        SpawnedProcess p = Spawner.of("/bin/sh", "-c", "echo ready\nread x", tag).stderr(Stdio.INHERIT).start();
        started.add(p);
        p.release();
        assertEquals("ready", new BufferedReader(new InputStreamReader(p.stdout(), StandardCharsets.UTF_8)).readLine());
        CliRun r = CliRun.of("ps", "--filter", tag);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(1).endsWith("/bin/sh -c echo ready\\nread x " + tag), lines.get(1));
    }

    @Test
    void filterKeepsOnlyMatchingProcesses() throws IOException {
        String tag = "ps-filter-" + UUID.randomUUID();
        SpawnedProcess p = startShell(tag);
        CliRun r = CliRun.of("ps", "--filter", tag);
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), "header and our process only:\n" + r.out());
        assertNotNull(r.row(p.pid()));
    }

    @Test
    void pidArgumentsSelectThoseProcesses() throws IOException {
        SpawnedProcess a = startShell("ps-a");
        SpawnedProcess b = startShell("ps-b");
        CliRun r = CliRun.of("ps", Integer.toString(a.pid()), Integer.toString(b.pid()));
        assertEquals(0, r.code(), r.err());
        assertEquals(3, r.out().lines().count(), r.out());
        assertNotNull(r.row(a.pid()));
        assertNotNull(r.row(b.pid()));
    }

    @Test
    void tracedShowsTheTracingProcessAndOnlyTracedOnes() {
        SpawnedProcess traced = startHeld();
        SpawnedProcess untraced = startHeld();
        // SEIZE does not stop the task; EXITKILL makes sure it dies if we vanish.
        Ptrace.seize(traced.pid(), PtraceConstants.EXITKILL);
        CliRun r = CliRun.of("ps", "--traced");
        assertEquals(0, r.code(), r.err());
        String row = r.row(traced.pid());
        assertNotNull(row, r.out());
        // The tracer is this JVM: /proc names our thread, ps shows the process it belongs to.
        String[] cols = row.strip().split("\\s+");
        assertEquals(Integer.toString(LibC.getpid()), cols[2], row);
        assertTrue(cols[3].startsWith("(") && cols[3].endsWith(")"), "tracer name: " + row);
        assertEquals(null, r.row(untraced.pid()), "untraced process listed:\n" + r.out());
    }

    @Test
    void helpListsThePsSubcommand() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: multitrace"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("ps ")), r.out());
    }

    @Test
    void versionIsPrinted() {
        CliRun r = CliRun.of("--version");
        assertEquals(0, r.code());
        assertEquals("0.1.0", r.out().strip());
    }

    @Test
    void malformedPidIsAUsageError() {
        CliRun r = CliRun.of("ps", "12x");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'12x' is not a process id"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void nonexistentPidIsAnError() {
        CliRun r = CliRun.of("ps", Integer.toString(Integer.MAX_VALUE));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no such process: " + Integer.MAX_VALUE), r.err());
    }
}
