package dev.multitrace.cli.bench;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.engines.probe.Probe;
import dev.multitrace.engines.probe.ProbeEngine;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The "locals" workload: stop wl_locals (a program linked against libc, whose debug info is installed under
 * /usr/lib/debug) at a breakpoint in report() and show its locals, three ways, each from nothing:
 * <ul>
 * <li>gdb: {@code gdb -batch -ex 'break report' -ex run -ex 'info locals'} (gdb reads the program's and
 * libc's debug info, runs, stops, prints, kills);</li>
 * <li>the command: {@code multitrace probe --locals report wl_locals} in a fresh JVM with this JVM's options
 * (the AOT cache of {@code ./multitrace} included), the program running to its end;</li>
 * <li>a session: a new service and probe engine in this (warm) JVM, as a new debug session in a running IDE,
 * from the launch to the locals printed; with the time the hit itself took (unwind, scope, values, text).</li>
 * </ul>
 * Each run opens the program's DWARF anew (new modules); ELF files stay in the process-wide cache, as in the IDE.
 */
public final class LocalsBench {

    /** Where the probe stops. */
    public static final String FUNCTION = "report";
    private static final String PROGRAM = "wl_locals";

    private final Programs programs;
    private double lastHitMs = Double.NaN;

    public LocalsBench(Programs programs) {
        this.programs = programs;
    }

    /** ms of one {@code gdb -batch}: break, run, info locals. */
    public double gdb() throws Exception {
        long t0 = System.nanoTime();
        List<String> out = PeerBench.run(List.of("gdb", "-nx", "-batch", "-ex", "set debuginfod enabled off", "-ex", "break " + FUNCTION,
                "-ex", "run", "-ex", "info locals", programs.path(PROGRAM)));
        double ms = (System.nanoTime() - t0) / 1e6;
        check(String.join("\n", out));
        return ms;
    }

    /** ms of one {@code multitrace probe --locals report wl_locals} in a fresh JVM started as {@code jvm}. */
    public double command(List<String> jvm) throws Exception {
        List<String> command = new ArrayList<>(jvm);
        command.addAll(List.of("dev.multitrace.cli.Main", "probe", "--locals", FUNCTION, programs.path(PROGRAM)));
        long t0 = System.nanoTime();
        List<String> out = PeerBench.run(command);
        double ms = (System.nanoTime() - t0) / 1e6;
        check(String.join("\n", out));
        return ms;
    }

    /** ms in this JVM from the launch to the locals printed; {@link #lastHitMs()} is the hit's own part. */
    public double session() throws Exception {
        long[] printedAt = {0};
        Writer text = new StringWriter() {
            @Override
            public void flush() {
                if (printedAt[0] == 0) {
                    printedAt[0] = System.nanoTime();
                }
            }
        };
        long t0 = System.nanoTime();
        try (Tracing tracing = Tracing.start()) {
            ProbeEngine probe = new ProbeEngine(tracing, List.of(Probe.locals(FUNCTION)), text);
            TracedProcess p = probe.launch(new LaunchSpec(List.of(programs.path(PROGRAM)), null, null, true));
            ExitStatus st = p.exitStatus().get(60, TimeUnit.SECONDS);
            if (st.code() != 0) {
                throw new IllegalStateException(PROGRAM + " exited with " + st.code());
            }
            lastHitMs = probe.hitNanos() / 1e6;
        }
        check(text.toString());
        return (printedAt[0] - t0) / 1e6;
    }

    /** The time the last {@link #session()}'s hit took, from the stop to the text written (ms). */
    public double lastHitMs() {
        return lastHitMs;
    }

    /** The locals were shown: the last one, {@code spread}, is there. */
    private static void check(String out) {
        if (!out.contains("spread = ")) {
            throw new IllegalStateException("no locals of " + FUNCTION + " in the output:\n" + out);
        }
    }
}
