package dev.multitrace.cli;

import com.google.gson.GsonBuilder;
import dev.multitrace.cli.bench.ColdStart;
import dev.multitrace.cli.bench.LocalsBench;
import dev.multitrace.cli.bench.PeerBench;
import dev.multitrace.cli.bench.Programs;
import dev.multitrace.cli.bench.Samples;
import dev.multitrace.cli.bench.ServiceBench;
import dev.multitrace.core.Tracing;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code multitrace bench}: the service against the C ptrace loop, gdb and strace, on the same
 * workloads in one run. Implementations alternate within each round (A B A B, the order reversed
 * every other round) so that drift of a shared machine hits them alike.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the tracing service against the same tracer loop written in C on ptrace,",
            "gdb and strace, interleaved in one run. Workloads: syscall, breakpoint, step, watch (software",
            "watchpoints, gdb's with can-use-hw-watchpoints 0), stop-all, memory, engines, cold (default: all). Ratios compare costs (time per unit of work).",
            "On request: locals (stop at a breakpoint and show the locals: gdb -batch, the probe command, a session in this JVM)."})
final class BenchCommand implements Callable<Integer> {

    static final List<String> WORKLOADS = List.of("syscall", "breakpoint", "step", "watch", "stop-all", "memory",
            "engines", "cold");
    /** Workloads run only when named: "locals" starts gdb and fresh JVMs, seconds per round. */
    static final List<String> ON_REQUEST = List.of("locals");

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "a short run (smaller loops, fewer rounds): a smoke test, not a measurement")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the medians as JSON, one object per workload")
    Path json;

    @Option(names = "--rounds", paramLabel = "N", description = "rounds per workload (default 11, 2 with --quick)")
    Integer rounds;

    @Option(names = "--native", paramLabel = "DIR",
            description = "the compiled benchmark programs (default: plugins/dev.multitrace.cli/target/native of the build)")
    Path nativeDir;

    @Parameters(paramLabel = "WORKLOAD", arity = "0..*", description = "workloads to run (default: all)")
    List<String> selected = new ArrayList<>();

    private PrintWriter out;
    private ServiceBench service;
    private PeerBench peers;
    private final Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();

    /**
     * Loop sizes: full run and --quick. Many short rounds rather than few long ones: on a shared
     * machine the noise comes in bursts, and alternating often spreads it over every implementation.
     */
    private int syscalls() { return quick ? 3_000 : 30_000; }
    private int hits() { return quick ? 1_000 : 12_000; }
    private int gdbHits() { return quick ? 200 : 2_000; }
    private int steps() { return quick ? 1_000 : 12_000; }
    private int gdbSteps() { return quick ? 200 : 2_000; }
    private int watches() { return quick ? 300 : 3_000; }
    private int gdbWatches() { return quick ? 100 : 1_000; }
    /** Measured repetitions per run: stop-all of few threads is quick. */
    private int reps(int threads) { return quick ? 2 : threads <= 1 ? 20 : threads <= 100 ? 10 : 5; }
    /** Warm-up repetitions before them (not kept). */
    private int warm(int threads) { return quick ? 1 : threads <= 1 ? 300 : threads <= 100 ? 30 : 2; }
    private int coldSyscalls() { return quick ? 15_000 : 50_000; }

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> todo = selected.isEmpty() ? WORKLOADS : selected;
        for (String w : todo) {
            if (!WORKLOADS.contains(w) && !ON_REQUEST.contains(w)) {
                err.println("bench: unknown workload '" + w + "' (known: " + String.join(", ", WORKLOADS) + ", " + String.join(", ", ON_REQUEST) + ")");
                return Main.EXIT_USAGE;
            }
        }
        int n = rounds != null ? rounds : quick ? 2 : 11;
        if (n < 1) {
            err.println("bench: --rounds must be at least 1");
            return Main.EXIT_USAGE;
        }
        Programs programs;
        try {
            programs = Programs.locate(nativeDir);
        } catch (IllegalStateException e) {
            err.println("bench: " + e.getMessage());
            return 1;
        }
        boolean gdb = PeerBench.available("gdb");
        boolean strace = PeerBench.available("strace");
        if (!gdb || !strace) {
            err.println("bench: " + (!gdb ? "gdb " : "") + (!strace ? "strace " : "") + "not found: those peers are left out");
        }
        out.printf("multitrace bench%s: %d round(s), programs in %s%n", quick ? " --quick" : "", n, programs.dir());
        out.flush();
        peers = new PeerBench(programs);
        try (Tracing tracing = Tracing.start()) {
            tracing.onCallbackError(t -> {
                err.println("bench: " + t);
                err.flush();
            });
            service = new ServiceBench(tracing, programs);
            for (String w : todo) {
                switch (w) {
                    case "syscall" -> {
                        Map<String, Samples> s = rounds(n, Map.of(
                                "c", () -> peers.cSyscall(syscalls()),
                                "service", () -> service.syscall(syscalls(), 1)),
                                strace ? Map.of("strace", () -> peers.straceSyscall(syscalls())) : Map.of());
                        record("syscall", "us/stop", s);
                    }
                    case "breakpoint" -> {
                        Map<String, Samples> s = rounds(n, Map.of(
                                "c", () -> peers.cBreakpoint(hits()),
                                "service", () -> service.breakpoint(hits(), 1)),
                                gdb ? Map.of("gdb", () -> peers.gdbBreakpoint(gdbHits())) : Map.of());
                        record("breakpoint", "us/hit", s);
                    }
                    case "step" -> {
                        Map<String, Samples> s = rounds(n, Map.of(
                                "c", () -> peers.cStep(steps()),
                                "service", () -> service.step(steps())),
                                gdb ? Map.of("gdb", () -> peers.gdbStep(gdbSteps())) : Map.of());
                        record("step", "us/step", s);
                    }
                    case "watch" -> {
                        Map<String, Samples> s = rounds(n, Map.of(
                                "c", () -> peers.cWatch(watches()),
                                "service", () -> service.watch(watches())),
                                gdb ? Map.of("gdb", () -> peers.gdbWatch(gdbWatches())) : Map.of());
                        record("watch-software", "us/write", s);
                    }
                    case "stop-all" -> {
                        for (int threads : new int[] {1, 100, 1000}) {
                            int total = warm(threads) + reps(threads);
                            Map<String, Samples> s = repeated(n, warm(threads), Map.of(
                                    "c", () -> peers.cStopAll(threads, total),
                                    "service", () -> service.stopAll(threads, total)));
                            record("stop-all-" + threads, "ms", s);
                        }
                    }
                    case "memory" -> {
                        for (int mib : new int[] {1, 64}) {
                            Map<String, Samples> s = repeated(n, 1, Map.of(
                                    "c", () -> peers.cMemory(mib, 1 + reps(1000)),
                                    "service", () -> service.memory(mib, 1 + reps(1000))));
                            record("memory-" + mib + "m", "GiB/s", s);
                        }
                    }
                    case "engines" -> {
                        record("engines-syscall", "us/stop", rounds(n, Map.of(
                                "one_engine", () -> service.syscall(syscalls(), 1),
                                "three_engines", () -> service.syscall(syscalls(), 3)), Map.of()));
                        record("engines-breakpoint", "us/hit", rounds(n, Map.of(
                                "one_engine", () -> service.breakpoint(hits(), 1),
                                "three_engines", () -> service.breakpoint(hits(), 3)), Map.of()));
                    }
                    case "cold" -> cold(n, programs);
                    case "locals" -> locals(n, programs, gdb);
                    default -> throw new IllegalStateException(w);
                }
            }
        }
        printTable();
        if (json != null) {
            Files.writeString(json, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(results) + "\n");
            out.println("JSON written to " + json);
        }
        return 0;
    }

    private interface Measure {
        double run() throws Exception;
    }

    private interface MeasureMany {
        List<Double> run() throws Exception;
    }

    /**
     * {@code n} rounds of every implementation; the order of {@code main} (C, service) and then the
     * peers is reversed every other round.
     */
    private Map<String, Samples> rounds(int n, Map<String, Measure> main, Map<String, Measure> peers) throws Exception {
        List<String> order = new ArrayList<>();
        for (String k : List.of("c", "service", "one_engine", "three_engines", "gdb", "strace")) {
            if (main.containsKey(k) || peers.containsKey(k)) {
                order.add(k);
            }
        }
        Map<String, Samples> s = new LinkedHashMap<>();
        for (String k : order) {
            s.put(k, new Samples());
        }
        for (int r = 0; r < n; r++) {
            List<String> o = new ArrayList<>(order);
            if (r % 2 == 1) {
                java.util.Collections.reverse(o);
            }
            for (String k : o) {
                Measure m = main.containsKey(k) ? main.get(k) : peers.get(k);
                s.get(k).add(m.run());
                // The tracer's own CPU time per unit: the cost without the waiting of a busy machine.
                double cpu = switch (k) {
                    case "c" -> this.peers.lastCpu();
                    case "service", "one_engine", "three_engines" -> service.lastCpu();
                    default -> Double.NaN;
                };
                if (!Double.isNaN(cpu)) {
                    s.computeIfAbsent(k + "_cpu", x -> new Samples()).add(cpu);
                }
            }
        }
        return s;
    }

    private Map<String, Samples> repeated(int n, int warm, Map<String, MeasureMany> impls) throws Exception {
        Map<String, Samples> s = new LinkedHashMap<>();
        s.put("c", new Samples());
        s.put("service", new Samples());
        for (int r = 0; r < n; r++) {
            List<String> o = r % 2 == 0 ? List.of("c", "service") : List.of("service", "c");
            for (String k : o) {
                // The first repetitions of each run warm up (page faults; the JIT for the service's
                // attach and detach paths, which a long-running debugger has compiled; the cold
                // workload measures the JIT's warm-up): they are not kept.
                List<Double> values = impls.get(k).run();
                for (double v : values.subList(warm, values.size())) {
                    s.get(k).add(v);
                }
                List<Double> cpu = k.equals("c") ? peers.lastCpus() : service.lastCpus();
                for (double v : cpu.isEmpty() ? cpu : cpu.subList(warm, cpu.size())) {
                    s.computeIfAbsent(k + "_cpu", x -> new Samples()).add(v);
                }
            }
        }
        return s;
    }

    private void cold(int n, Programs programs) throws Exception {
        String cp = System.getProperty("java.class.path", "");
        String java = ProcessHandle.current().info().command().orElse("java");
        Samples ratio = new Samples();
        Samples first = new Samples();
        Samples steady = new Samples();
        Samples cpuRatio = new Samples();
        for (int r = 0; r < n; r++) {
            List<String> lines;
            try {
                // The fresh JVM gets this JVM's options (the launcher's: JIT, AOT cache, -D switches), so
                // cold measures the start-up of the command-line tools as they are run.
                List<String> command = new ArrayList<>();
                command.add(java);
                for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                    // ...but not a debugger's or profiler's agent or recording (a second one on the same port or file)
                    if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent")
                            && !option.startsWith("-Xrunjdwp") && !option.startsWith("-XX:StartFlightRecording")) {
                        command.add(option);
                    }
                }
                command.addAll(List.of("-cp", cp, ColdStart.class.getName(), programs.dir().toString(),
                        Integer.toString(coldSyscalls())));
                lines = PeerBench.run(command);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("cold runs the service in a fresh JVM on this JVM's class path ("
                        + cp + "), which failed: " + e.getMessage(), e);
            }
            String[] f = lines.get(lines.size() - 1).split(" ");
            double a = Double.parseDouble(f[0]);
            double b = Double.parseDouble(f[1]);
            first.add(a);
            steady.add(b);
            ratio.add(a / b);
            cpuRatio.add(Double.parseDouble(f[2]) / Double.parseDouble(f[3]));
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("unit", "ratio");
        o.put("service", round(ratio.median()));
        o.put("first_10k_us", round(first.median()));
        o.put("steady_us", round(steady.median()));
        o.put("ratio_cpu_first_steady", round(cpuRatio.median()));
        o.put("min", Map.of("service", round(ratio.min())));
        o.put("max", Map.of("service", round(ratio.max())));
        results.put("cold", o);
        table.add(new String[] {"cold", "first10k/steady", cell(ratio), "-", "-", "-", "-", "-", "-", "-",
            String.format(Locale.ROOT, "first 10k %.2f us/stop, steady %.2f; tracer CPU first/steady %.2f",
                    first.median(), steady.median(), cpuRatio.median())});
        progress("cold");
    }

    /**
     * Stop at a breakpoint and show the locals ({@link LocalsBench}): gdb, the probe command in a fresh JVM
     * and a session in this JVM, alternating within each round. The first session of this JVM warms it up
     * (the IDE's JVM is warm) and is not kept.
     */
    private void locals(int n, Programs programs, boolean gdb) throws Exception {
        LocalsBench bench = new LocalsBench(programs);
        List<String> jvm = new ArrayList<>();
        jvm.add(ProcessHandle.current().info().command().orElse("java"));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // not an agent or a recording (a second one on the same port or file), nor an AOT training run's output
            // (./multitrace trains its AOT cache with this workload: the fresh JVMs use the cache, never write it)
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xrunjdwp")
                    && !option.startsWith("-XX:StartFlightRecording") && !option.startsWith("-XX:AOTCacheOutput")
                    && !option.startsWith("-XX:AOTConfiguration") && !option.startsWith("-XX:AOTMode")) {
                jvm.add(option);
            }
        }
        jvm.addAll(List.of("-cp", System.getProperty("java.class.path", "")));
        bench.session();
        Samples session = new Samples();
        Samples hit = new Samples();
        Samples command = new Samples();
        Samples gdbMs = new Samples();
        for (int r = 0; r < n; r++) {
            List<String> order = new ArrayList<>(List.of("session", "command", "gdb"));
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String k : order) {
                switch (k) {
                    case "session" -> {
                        session.add(bench.session());
                        hit.add(bench.lastHitMs());
                    }
                    case "command" -> command.add(bench.command(jvm));
                    default -> {
                        if (gdb) {
                            gdbMs.add(bench.gdb());
                        }
                    }
                }
            }
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("unit", "ms");
        o.put("service", round(session.median()));
        o.put("hit", round(hit.median()));
        o.put("command", round(command.median()));
        if (gdb) {
            o.put("gdb", round(gdbMs.median()));
            o.put("ratio_gdb_service", round(gdbMs.median() / session.median()));
            o.put("ratio_gdb_command", round(gdbMs.median() / command.median()));
        }
        o.put("min", Map.of("service", round(session.min()), "command", round(command.min())));
        o.put("max", Map.of("service", round(session.max()), "command", round(command.max())));
        results.put("locals", o);
        table.add(new String[] {"locals", "ms", cell(session), "-", gdb ? cell(gdbMs) : "-", "-", "-",
            gdb ? String.format(Locale.ROOT, "%.2f", gdbMs.median() / session.median()) : "-", "-", "-",
            String.format(Locale.ROOT, "session: launch to locals printed, the hit itself %s ms; probe command in a fresh JVM %s%s",
                    num(hit.median()), cell(command),
                    gdb ? String.format(Locale.ROOT, " (gdb/command %.2f)", gdbMs.median() / command.median()) : "")});
        progress("locals");
    }

    /** Puts one workload's medians (and min/max) into the results and a table row. */
    private void record(String name, String unit, Map<String, Samples> s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("unit", unit);
        Map<String, Object> min = new LinkedHashMap<>();
        Map<String, Object> max = new LinkedHashMap<>();
        for (var e : s.entrySet()) {
            o.put(e.getKey(), round(e.getValue().median()));
            min.put(e.getKey(), round(e.getValue().min()));
            max.put(e.getKey(), round(e.getValue().max()));
        }
        boolean throughput = unit.equals("GiB/s");
        String note = "";
        String cpuRatio = "-";
        if (s.containsKey("service_cpu") && s.containsKey("c_cpu")) {
            double r = s.get("service_cpu").median() / s.get("c_cpu").median();
            o.put("ratio_cpu_service_c", round(r));
            cpuRatio = String.format(Locale.ROOT, "%.2f (%s/%s)", r, num(s.get("service_cpu").median()),
                    num(s.get("c_cpu").median()));
        }
        if (s.containsKey("three_engines")) {
            double r = s.get("three_engines").median() / s.get("one_engine").median();
            o.put("ratio_three_one", round(r));
            note = String.format(Locale.ROOT, "1 engine %s, 3 engines %s: 3/1 = %.2f", cell(s.get("one_engine")),
                    cell(s.get("three_engines")), r);
            if (s.containsKey("one_engine_cpu") && s.containsKey("three_engines_cpu")) {
                double c = s.get("three_engines_cpu").median() / s.get("one_engine_cpu").median();
                o.put("ratio_cpu_three_one", round(c));
                note += String.format(Locale.ROOT, "; tracer CPU 3/1 = %.2f", c);
            }
            table.add(new String[] {name, unit, "-", "-", "-", "-", "-", "-", "-", "-", note});
        } else {
            double svc = s.get("service").median();
            double c = s.get("c").median();
            // Ratios compare costs: for a throughput the cost is its inverse.
            double svcOverC = throughput ? c / svc : svc / c;
            o.put("ratio_service_c", round(svcOverC));
            String gdbRatio = "-";
            String straceRatio = "-";
            if (s.containsKey("gdb")) {
                double r = s.get("gdb").median() / svc;
                o.put("ratio_gdb_service", round(r));
                gdbRatio = String.format(Locale.ROOT, "%.2f", r);
            }
            if (s.containsKey("strace")) {
                double r = s.get("strace").median() / svc;
                o.put("ratio_strace_service", round(r));
                straceRatio = String.format(Locale.ROOT, "%.2f", r);
            }
            table.add(new String[] {name, unit, cell(s.get("service")), cell(s.get("c")),
                s.containsKey("gdb") ? cell(s.get("gdb")) : "-", s.containsKey("strace") ? cell(s.get("strace")) : "-",
                String.format(Locale.ROOT, "%.2f", svcOverC), gdbRatio, straceRatio, cpuRatio, note});
        }
        o.put("min", min);
        o.put("max", max);
        results.put(name, o);
        progress(name);
    }

    private void progress(String name) {
        out.println("  done: " + name);
        out.flush();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static String cell(Samples s) {
        return String.format(Locale.ROOT, "%s [%s..%s]", num(s.median()), num(s.min()), num(s.max()));
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
    }

    private void printTable() {
        String[] head = {"workload", "unit", "service median [min..max]", "C", "gdb", "strace", "service/C",
            "gdb/service", "strace/service", "tracer CPU service/C (in unit)", "note"};
        int[] w = new int[head.length];
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        rows.addAll(table);
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        out.println();
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                b.append(String.format("%-" + w[i] + "s", r[i])).append(i + 1 < r.length ? "  " : "");
            }
            out.println(b.toString().stripTrailing());
        }
        out.println("(ratios compare costs: time per stop, hit, step or byte; service/C 1.10 = 10% slower than C."
                + " Tracer CPU: the tracing thread's or process's own CPU time per unit, the tracee's excluded)");
        out.flush();
    }
}
