package dev.multitrace.cli;

import dev.multitrace.cli.faults.CampaignCounts;
import dev.multitrace.cli.faults.FaultCampaign;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code multitrace faults}: the fault-injection campaign (issue 15). Real programs under engines
 * doing breakpoints, steps, syscall tracing, stop-all, attach and detach, and a fault at a random
 * moment (SIGKILL, exit_group or exec from another thread, SIGSEGV); after each, the tracer must
 * answer within 100 ms and nothing may be left behind. Exit code 0 only with no hang and no leftover.
 */
@Command(name = "faults", mixinStandardHelpOptions = true,
        description = "Fault-injection campaign: kill, exit_group, exec and SIGSEGV at random moments under every kind of engine;"
                + " prints iterations, faults per kind, hangs and leftovers (both must be 0).")
public final class FaultsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "1000", description = "iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: the clock); printed, so a run can be repeated")
    Long seed;

    @Option(names = "--native", paramLabel = "DIR",
            description = "the compiled campaign program (default: plugins/dev.multitrace.cli/target/native of the build)")
    Path nativeDir;

    @Option(names = "--always", paramLabel = "ACTIVITY", split = ",",
            description = "activities every iteration has besides its random ones, to focus a run on a failure's mix"
                    + " (${COMPLETION-CANDIDATES})")
    java.util.Set<dev.multitrace.cli.faults.Activity> always = java.util.EnumSet.noneOf(dev.multitrace.cli.faults.Activity.class);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long s = seed != null ? seed : System.nanoTime();
        out.println("seed: " + s);
        out.flush();
        long t0 = System.currentTimeMillis();
        CampaignCounts c;
        try (FaultCampaign campaign = FaultCampaign.create(nativeDir, s, always, java.util.Set.of())) {
            c = campaign.run(iterations, System.out);
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println("multitrace faults: " + e.getMessage());
            return 2;
        }
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        c.print(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8), System.currentTimeMillis() - t0);
        out.print(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
        out.flush();
        return c.hangs() == 0 && c.leftovers() == 0 && c.serviceErrors() == 0 ? 0 : 1;
    }
}
