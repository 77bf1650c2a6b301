package dev.multitrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.cli.faults.CampaignCounts;
import dev.multitrace.cli.faults.FaultCampaign;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * The fault-injection campaign of issue 15, short for CI ({@code -Dmultitrace.faults.iterations=N}
 * for a long run, {@code -Dmultitrace.faults.seed=S} to repeat one): no hang, no leftover.
 */
class FaultCampaignTest {

    @Test
    void faultsAtRandomMomentsNeverHangTheTracerAndLeaveNothingBehind() {
        int iterations = Integer.getInteger("multitrace.faults.iterations", 200);
        String s = System.getProperty("multitrace.faults.seed", "");
        long seed = s.isBlank() ? System.nanoTime() : Long.parseLong(s.strip());
        long t0 = System.currentTimeMillis();
        CampaignCounts counts;
        try (FaultCampaign campaign = FaultCampaign.create(null, seed)) {
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
