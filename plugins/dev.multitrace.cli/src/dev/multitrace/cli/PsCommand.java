package dev.multitrace.cli;

import dev.multitrace.linux.LinuxException;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcessInfo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code multitrace ps}: the processes in /proc with who traces them, so a user can see
 * why an attach is refused ("already traced") before trying it.
 */
@Command(name = "ps", mixinStandardHelpOptions = true,
        description = "List processes with their tracer (pid and name of the tracing process).",
        footer = {"", "What this machine lets a debugger do (ptrace_scope, whether the debug registers",
                "trap, hence hardware or software watchpoints): multitrace info"})
public final class PsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--traced", description = "Only processes that are being traced.")
    boolean tracedOnly;

    @Option(names = "--filter", paramLabel = "TEXT",
            description = "Only processes whose name or command line contains TEXT.")
    String filter;

    /**
     * Kept as text and parsed in {@link #call()}: with a converter, picocli reports a bad
     * value of an optional positional list only as "Unmatched argument".
     */
    @Parameters(paramLabel = "PID", arity = "0..*", description = "Only these processes (default: all).")
    List<String> pidArgs = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Set<Integer> wanted = new LinkedHashSet<>();
        for (String arg : pidArgs) {
            int pid = parsePid(arg);
            if (pid <= 0) {
                err.println("multitrace ps: '" + arg + "' is not a process id (a positive integer)");
                return Main.EXIT_USAGE;
            }
            wanted.add(pid);
        }
        List<ProcessInfo> all = ProcFs.processes();
        if (!wanted.isEmpty()) {
            Set<Integer> present = new LinkedHashSet<>();
            all.forEach(p -> present.add(p.pid()));
            List<Integer> missing = wanted.stream().filter(p -> !present.contains(p)).toList();
            if (!missing.isEmpty()) {
                for (int pid : missing) {
                    err.println("multitrace ps: no such process: " + pid);
                }
                return Main.EXIT_USAGE;
            }
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PID", "USER", "TRACER", "S", "COMMAND"});
        Map<Integer, String> tracerNames = new HashMap<>();
        for (ProcessInfo p : all) {
            if (!wanted.isEmpty() && !wanted.contains(p.pid())) {
                continue;
            }
            if (tracedOnly && p.tracerPid() == 0) {
                continue;
            }
            String command = commandOf(p);
            if (filter != null && !p.name().contains(filter) && !command.contains(filter)) {
                continue;
            }
            String tracer = p.tracerPid() == 0 ? "-" : tracerNames.computeIfAbsent(p.tracerPid(), PsCommand::tracer);
            rows.add(new String[] {Integer.toString(p.pid()), p.user(), tracer, Character.toString(p.state()),
                command});
        }
        print(out, rows);
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    /** The pid in {@code arg}, or -1 if it is not a positive decimal integer. */
    static int parsePid(String arg) {
        try {
            int pid = Integer.parseInt(arg.strip());
            return pid > 0 ? pid : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The arguments joined by spaces, or {@code [name]} like ps for kernel threads and zombies.
     * Control characters are escaped: an argument may hold a newline (a multi-line
     * {@code sh -c} script), and printed raw it would break the table into false rows.
     */
    static String commandOf(ProcessInfo p) {
        String joined = String.join(" ", p.cmdline());
        return joined.isBlank() ? "[" + p.name() + "]" : escapeControls(joined);
    }

    static String escapeControls(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /**
     * The tracing process as "PID (name)". /proc reports the tracer's thread id; the
     * process it belongs to (its thread group) is what the user can act on.
     */
    static String tracer(int tracerTid) {
        try {
            int tgid = ProcFs.status(tracerTid).tgid();
            return tgid + " (" + ProcFs.comm(tgid) + ")";
        } catch (LinuxException e) {
            return tracerTid + " (?)";
        }
    }

    /** Left-aligned columns, PID right-aligned, the last column unpadded. */
    private static void print(PrintWriter out, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            sb.append(" ".repeat(width[0] - r[0].length())).append(r[0]);
            for (int i = 1; i < cols; i++) {
                sb.append("  ").append(r[i]);
                if (i < cols - 1) {
                    sb.append(" ".repeat(width[i] - r[i].length()));
                }
            }
            out.println(sb);
        }
    }
}
