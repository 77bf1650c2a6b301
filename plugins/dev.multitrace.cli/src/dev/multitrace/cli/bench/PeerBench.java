package dev.multitrace.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same workloads under the C ptrace baseline, gdb and strace. These tracers are helper
 * processes started with ProcessBuilder: they are not traced by us, and their tracees are their
 * own children, so the JDK's reaper never sees a ptrace stop.
 */
public final class PeerBench {

    private static final long TIMEOUT_S = 300;

    private final Programs programs;
    private double lastCpu = Double.NaN;
    private List<Double> lastCpus = List.of();

    public PeerBench(Programs programs) {
        this.programs = programs;
    }

    /**
     * The C tracer's own CPU time (getrusage SELF: not its tracee's) per unit of the last
     * syscall, breakpoint or step run, in µs; NaN after other runs.
     */
    public double lastCpu() {
        return lastCpu;
    }

    /** The C tracer's own CPU time of each repetition of the last stop-all run, in ms. */
    public List<Double> lastCpus() {
        return lastCpus;
    }

    /** Takes the "cpu NS" line the C baseline prints; returns the other lines. */
    private List<String> takeCpu(List<String> lines, double units) {
        List<String> rest = new ArrayList<>();
        lastCpu = Double.NaN;
        for (String l : lines) {
            if (l.startsWith("cpu ")) {
                lastCpu = Double.parseDouble(l.substring(4)) / 1000.0 / units;
            } else {
                rest.add(l);
            }
        }
        return rest;
    }

    /** Whether {@code tool} is an executable on the PATH. */
    public static boolean available(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** µs per syscall stop under the C loop. */
    public double cSyscall(int calls) throws Exception {
        return timedByWorkload(calls * 2.0, out -> List.of(programs.path("ptrace_baseline"), "syscall",
                programs.path("wl_syscall"), Integer.toString(calls), out));
    }

    /** µs per syscall stop under {@code strace -f -o /dev/null}. */
    public double straceSyscall(int calls) throws Exception {
        return timedByWorkload(calls * 2.0, out -> List.of("strace", "-f", "-o", "/dev/null",
                programs.path("wl_syscall"), Integer.toString(calls), out));
    }

    /** µs per breakpoint hit under the C loop. */
    public double cBreakpoint(int hits) throws Exception {
        String addr = "0x" + Long.toHexString(programs.address("wl_breakpoint", "hit"));
        return timedByWorkload(hits, out -> List.of(programs.path("ptrace_baseline"), "breakpoint", addr,
                programs.path("wl_breakpoint"), Integer.toString(hits), out));
    }

    /** µs per breakpoint hit under gdb: {@code break hit / commands / silent / continue / end}. */
    public double gdbBreakpoint(int hits) throws Exception {
        Path script = Files.createTempFile("multitrace-bench", ".gdb");
        try {
            Files.writeString(script, String.join("\n", "set pagination off", "set confirm off", "break hit",
                    "commands", "silent", "continue", "end", "run", "quit", ""));
            return timedByWorkload(hits, out -> List.of("gdb", "-nx", "-batch", "-x", script.toString(), "--args",
                    programs.path("wl_breakpoint"), Integer.toString(hits), out));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** µs per watched write under the C loop: single-step, process_vm_readv, compare, from writes() to done(). */
    public double cWatch(int writes) throws Exception {
        String from = "0x" + Long.toHexString(programs.address("wl_watch", "writes"));
        String to = "0x" + Long.toHexString(programs.address("wl_watch", "done"));
        String var = "0x" + Long.toHexString(programs.address("wl_watch", "counter"));
        return timedByWorkload(writes, out -> List.of(programs.path("ptrace_baseline"), "watch", from, to, var,
                programs.path("wl_watch"), Integer.toString(writes), out));
    }

    /**
     * µs per watched write under gdb's own software watchpoint ({@code set can-use-hw-watchpoints
     * 0}): {@code watch *(long *) &counter} from the entry of writes(), each hit {@code silent}/{@code
     * continue}, deleted at done(). (The address form, as {@code watch -location counter} sets it.)
     */
    public double gdbWatch(int writes) throws Exception {
        Path script = Files.createTempFile("multitrace-bench", ".gdb");
        try {
            Files.writeString(script, String.join("\n", "set pagination off", "set confirm off",
                    "set can-use-hw-watchpoints 0", "break writes", "run", "delete", "watch *(long *) &counter",
                    "commands", "silent", "continue", "end", "break done", "commands", "delete", "continue", "end",
                    "continue", "quit", ""));
            return timedByWorkload(writes, out -> List.of("gdb", "-nx", "-batch", "-x", script.toString(), "--args",
                    programs.path("wl_watch"), Integer.toString(writes), out));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** µs per single-step under the C loop, from the entry of spin(). */
    public double cStep(int steps) throws Exception {
        String addr = "0x" + Long.toHexString(programs.address("wl_step", "spin"));
        List<String> lines = takeCpu(run(List.of(programs.path("ptrace_baseline"), "step", addr,
                Integer.toString(steps), programs.path("wl_step"))), steps);
        return Double.parseDouble(lines.get(0)) / 1000.0 / steps;
    }

    /** µs per single-step under gdb: {@code stepi N} from the entry of spin(), timed by gdb's Python. */
    public double gdbStep(int steps) throws Exception {
        Path script = Files.createTempFile("multitrace-bench", ".gdb");
        Path out = Files.createTempFile("multitrace-bench", ".ns");
        try {
            Files.writeString(script, String.join("\n", "set pagination off", "set confirm off", "break spin", "run",
                    "python import time",
                    "python t0 = time.perf_counter_ns()",
                    "stepi " + steps,
                    "python open('" + out + "', 'w').write('%d\\n' % (time.perf_counter_ns() - t0))",
                    "kill", "quit", ""));
            run(List.of("gdb", "-nx", "-batch", "-x", script.toString(), programs.path("wl_step")));
            return ServiceBench.readNs(out) / 1000.0 / steps;
        } finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(out);
        }
    }

    /** ms per attach + stop-all + detach under the C loop, one value per repetition. */
    public List<Double> cStopAll(int threads, int reps) throws Exception {
        List<Double> ms = new ArrayList<>();
        lastCpus = new ArrayList<>();
        for (String l : run(List.of(programs.path("ptrace_baseline"), "stopall", Integer.toString(reps),
                programs.path("wl_threads"), Integer.toString(threads)))) {
            String[] f = l.split(" ");
            ms.add(Double.parseDouble(f[0]) / 1e6);
            lastCpus.add(Double.parseDouble(f[1]) / 1e6);
        }
        return ms;
    }

    /** GiB/s of one process_vm_readv of {@code mib} MiB under the C loop, one value per repetition. */
    public List<Double> cMemory(int mib, int reps) throws Exception {
        List<Double> gibs = new ArrayList<>();
        lastCpus = List.of();
        for (String l : run(List.of(programs.path("ptrace_baseline"), "memory", Integer.toString(mib),
                Integer.toString(reps), programs.path("wl_memory"), Integer.toString(mib)))) {
            gibs.add(mib / 1024.0 / (Double.parseDouble(l) / 1e9));
        }
        return gibs;
    }

    private interface CommandFor {
        List<String> command(String outFile) throws IOException;
    }

    /** Runs a tracer over a workload that writes its loop's nanoseconds to a file; µs per unit. */
    private double timedByWorkload(double units, CommandFor cmd) throws Exception {
        Path out = Files.createTempFile("multitrace-bench", ".ns");
        try {
            takeCpu(run(cmd.command(out.toString())), units);
            return ServiceBench.readNs(out) / 1000.0 / units;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs a helper to its end; its stdout lines. Fails with its stderr if it fails. */
    public static List<String> run(List<String> command) throws Exception {
        Path err = Files.createTempFile("multitrace-bench", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no end after " + TIMEOUT_S + " s");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): "
                        + Files.readString(err).strip());
            }
            return out.lines().filter(l -> !l.isBlank()).toList();
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
