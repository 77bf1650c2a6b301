package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.cli.faults.Activity;
import dev.multitrace.cli.faults.CampaignCounts;
import dev.multitrace.cli.faults.FaultCampaign;
import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.Tracing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The fault-injection campaign of issue 15, short for CI ({@code -Dmultitrace.faults.iterations=N}
 * for a long run, {@code -Dmultitrace.faults.seed=S} to repeat one): no hang, no leftover.
 * <p>
 * Its watchpoint activity watches from the program's first instruction. Where the x86 debug registers do not
 * trap, the service's watchpoints are software ones: every instruction single-stepped, the dynamic loader's
 * 105,000 included (5 s to main on this machine kind), longer than the campaign gives a program to end after
 * its fault. That is the speed of software watchpoints, not a fault: there the campaign runs without that
 * activity, and the watchpoint campaign is skipped with the reason. Software watchpoints under a process's
 * end are tested by SoftwareWatchpointTest (core tests).
 */
class FaultCampaignTest {

    @Test
    void faultsAtRandomMomentsNeverHangTheTracerAndLeaveNothingBehind() {
        boolean hardware = Tracing.debugRegisters().dataWatchpoints();
        campaign(Integer.getInteger("multitrace.faults.iterations", 200), Set.of(),
                hardware ? Set.of() : Set.of(Activity.WATCHPOINTS));
    }

    @Test
    void faultsWithHardwareWatchpointsInEveryIteration() {
        DebugRegisterSupport dr = Tracing.debugRegisters();
        Assumptions.assumeTrue(dr.dataWatchpoints(), "the x86 debug registers do not trap on this machine ("
                + dr.summary() + "): watchpoints are software ones, too slow from a program's first instruction"
                + " for the campaign's time limits");
        campaign(Integer.getInteger("multitrace.faults.watch.iterations", 60), Set.of(Activity.WATCHPOINTS), Set.of());
    }

    private static void campaign(int iterations, Set<Activity> always, Set<Activity> never) {
        String s = System.getProperty("multitrace.faults.seed", "");
        long seed = s.isBlank() ? System.nanoTime() : Long.parseLong(s.strip());
        long t0 = System.currentTimeMillis();
        CampaignCounts counts;
        try (FaultCampaign campaign = FaultCampaign.create(null, seed, always, never)) {
            counts = campaign.run(iterations, System.out);
        }
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        counts.print(new PrintStream(report, true, StandardCharsets.UTF_8), System.currentTimeMillis() - t0);
        String text = "seed " + seed + "\n" + report.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(iterations, counts.iterations(), text);
        assertEquals(0, counts.hangs(), text);
        assertEquals(0, counts.leftovers(), text);
        assertTrue(counts.problems().isEmpty(), text);
    }
}
