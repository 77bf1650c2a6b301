package dev.multitrace.cli.faults;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** What a campaign did and found. Hangs and leftovers must be 0. */
public final class CampaignCounts {

    int iterations;
    final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
    final Map<Activity, Integer> activities = new EnumMap<>(Activity.class);
    /** The tracer did not answer a request within 100 ms of a fault, or a process's end never came. */
    int hangs;
    /** Something the fault left behind: a task in a ptrace stop, a zombie, an int3, a missing report. */
    int leftovers;
    int forkChildren;
    long slowestAnswerNanos;
    /** Errors the service reported through its error handler (an engine callback that threw, or its own). */
    int serviceErrors;
    final List<String> problems = new ArrayList<>();

    public int iterations() {
        return iterations;
    }

    public int hangs() {
        return hangs;
    }

    public int leftovers() {
        return leftovers;
    }

    public List<String> problems() {
        return problems;
    }

    void hang(String what) {
        hangs++;
        problems.add("HANG " + what);
    }

    public int serviceErrors() {
        return serviceErrors;
    }

    void serviceError(String what) {
        serviceErrors++;
        problems.add("SERVICE ERROR " + what);
    }

    void leftover(String what) {
        leftovers++;
        problems.add("LEFTOVER " + what);
    }

    public void print(PrintStream out, long millis) {
        out.printf("iterations: %d (%.1f s)%n", iterations, millis / 1000.0);
        out.print("faults:");
        faults.forEach((k, v) -> out.print(" " + k + "=" + v));
        out.println();
        out.print("activities:");
        activities.forEach((k, v) -> out.print(" " + k + "=" + v));
        out.println();
        out.printf("fork children checked: %d%n", forkChildren);
        out.printf("slowest answer after a fault: %.2f ms%n", slowestAnswerNanos / 1e6);
        out.printf("hangs: %d%n", hangs);
        out.printf("leftovers: %d%n", leftovers);
        out.printf("service errors: %d%n", serviceErrors);
        for (String p : problems.subList(0, Math.min(problems.size(), 200))) {
            out.println("  " + p);
        }
    }
}
