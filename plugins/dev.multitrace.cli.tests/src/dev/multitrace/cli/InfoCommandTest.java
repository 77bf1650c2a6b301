package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.Tracing;
import org.junit.jupiter.api.Test;

/** {@code multitrace info} says what the probe found, in words, and {@code ps --help} points to it. */
class InfoCommandTest {

    @Test
    void saysWhetherTheDebugRegistersTrapAndWhatWatchpointsAreThen() {
        CliRun run = CliRun.of("info");
        assertEquals(0, run.code(), run.err());
        DebugRegisterSupport hw = Tracing.debugRegisters();
        String watch = run.out().lines().filter(l -> l.startsWith("data watchpoints:")).findFirst().orElseThrow();
        assertTrue(watch.contains(hw.dataWatchpoints() ? "hardware (4 debug registers)" : "software only"), run.out());
        String exec = run.out().lines().filter(l -> l.startsWith("execute breakpoints:")).findFirst().orElseThrow();
        assertTrue(exec.contains(hw.executeBreakpoints() ? "hardware" : "software (int3)"), run.out());
        assertTrue(run.out().contains("debug register probe: probed "), "the probe ran and says what it saw: " + run.out());
        assertTrue(run.out().contains("ptrace_scope:"), run.out());
    }

    @Test
    void psHelpPointsToIt() {
        CliRun run = CliRun.of("ps", "--help");
        assertTrue(run.out().contains("multitrace info"), run.out());
    }
}
