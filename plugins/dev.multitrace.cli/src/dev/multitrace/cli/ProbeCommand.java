package dev.multitrace.cli;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.TracingException;
import dev.multitrace.engines.probe.Probe;
import dev.multitrace.engines.probe.ProbeEngine;
import dev.multitrace.engines.probe.ProbeException;
import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.PermissionDeniedException;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code multitrace probe}: gdb's dynamic printf as a tool, for scripts and for programs that must not
 * stop. Each hit of a probe prints its lines (to stdout, or {@code -o FILE}) and the program runs on at
 * once. The exit code is the program's; with {@code -p}, Ctrl-C detaches and leaves no int3 behind.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, modelTransformer = ProbeCommand.RepeatableProbes.class,
        description = {"Print values each time a program reaches a location, without stopping it (gdb's dprintf as a tool).",
            "LOCATION is FILE:LINE, FUNCTION or *ADDRESS. Probes at one location print in the order given.",
            "The exit code is the program's (128+N if killed by signal N)."})
public final class ProbeCommand implements Callable<Integer> {

    /**
     * Everything from PROG on is the program's, and each probe option may be given any number of times: its
     * setter adds one probe per occurrence, keeping the order across the three kinds.
     */
    static final class RepeatableProbes implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.parser().stopAtPositional(true);
            commandSpec.parser().overwrittenOptionsAllowed(true);
            return commandSpec;
        }
    }

    /** Exit code for a probe run that could not start (no such process, not permitted, a location naming nothing). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    /** The probes as given, every kind in command-line order (so that their lines at one location come in that order). */
    private final List<String[]> given = new ArrayList<>();

    @Option(names = "--dprintf", paramLabel = "'LOCATION,\"FORMAT\",EXPR...'",
            description = "Print FORMAT filled with the EXPRs' values, as gdb's dprintf.")
    void dprintf(String text) {
        given.add(new String[] {"dprintf", text});
    }

    @Option(names = "--print", paramLabel = "'LOCATION,EXPR'", description = "Print EXPR = VALUE, VALUE as gdb's print shows it.")
    void print(String text) {
        given.add(new String[] {"print", text});
    }

    @Option(names = "--locals", paramLabel = "LOCATION", description = "Print what gdb's info args then info locals print.")
    void locals(String text) {
        given.add(new String[] {"locals", text});
    }

    @Option(names = "-o", paramLabel = "FILE", description = "Write the probes' lines to FILE instead of stdout.")
    Path outputFile;

    @Option(names = "-p", paramLabel = "PID", description = "Attach to a running process (Ctrl-C detaches).")
    Integer pid;

    @Option(names = "--disable-randomization",
            description = "Run the program without address space randomization (gdb's default: the same addresses every run).")
    boolean disableRandomization;

    @Parameters(paramLabel = "PROG", arity = "0..*", description = "The program to run and its arguments.")
    List<String> command = new ArrayList<>();

    private final CtrlC ctrlC = new CtrlC();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if ((pid == null) == command.isEmpty()) {
            err.println("multitrace probe: give either -p PID or a program to run (not both)");
            spec.commandLine().usage(err);
            return Main.EXIT_USAGE;
        }
        if (given.isEmpty()) {
            err.println("multitrace probe: give at least one probe (--dprintf, --print or --locals)");
            return Main.EXIT_USAGE;
        }
        if (pid != null && pid <= 0) {
            err.println("multitrace probe: -p " + pid + ": not a process id");
            return Main.EXIT_USAGE;
        }
        List<Probe> probes = new ArrayList<>();
        try {
            for (String[] g : given) {
                probes.add(switch (g[0]) {
                    case "dprintf" -> Probe.dprintf(g[1]);
                    case "print" -> Probe.print(g[1]);
                    default -> Probe.locals(g[1]);
                });
            }
        } catch (ProbeException e) {
            err.println("multitrace probe: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Path executable;
        if (pid == null) {
            String missing = TraceCommand.missingProgram(command.get(0));
            if (missing != null) {
                err.println("multitrace probe: " + missing);
                return EXIT_FAILURE;
            }
            executable = programPath(command.get(0));
        } else {
            executable = Path.of("/proc/" + pid + "/exe");
        }
        try {
            // before the program runs: a bad probe never leaves a tracee stopped
            ProbeEngine.check(probes, executable, pid == null);
        } catch (ProbeException e) {
            err.println("multitrace probe: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        Writer out;
        try {
            out = outputFile == null ? spec.commandLine().getOut()
                    : new java.io.BufferedWriter(new OutputStreamWriter(Files.newOutputStream(outputFile), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            err.println("multitrace probe: cannot write " + outputFile + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
        Thread hook = new Thread(this::interruptAndWait, "multitrace probe: Ctrl-C");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Tracing tracing = Tracing.start()) {
            ProbeEngine engine = new ProbeEngine(tracing, probes, out);
            return pid == null ? runProgram(tracing, engine, err) : attach(engine, err);
        } finally {
            ctrlC.finished();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for us
            }
            try {
                out.flush();
                if (outputFile != null) {
                    out.close();
                }
            } catch (IOException e) {
                err.println("multitrace probe: " + outputFile + ": " + e.getMessage());
            }
            err.flush();
        }
    }

    /** The file PROG names: a path, or the first executable of that name in PATH. */
    private static Path programPath(String program) {
        if (program.contains("/")) {
            return Path.of(program);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p) && Files.isRegularFile(p)) {
                return p;
            }
        }
        return Path.of(program);
    }

    private int runProgram(Tracing tracing, ProbeEngine engine, PrintWriter err) {
        TracedProcess p;
        try {
            p = engine.launch(new LaunchSpec(command, null, null, false, disableRandomization));
        } catch (ProbeException e) {
            err.println("multitrace probe: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (TracingException | dev.multitrace.linux.LinuxException e) {
            err.println("multitrace probe: " + e.getMessage());
            return EXIT_FAILURE;
        }
        ExitStatus status = ctrlC.waitForEnd(p, engine::awaitAllGone);
        if (engine.failure().isPresent()) {
            err.println("multitrace probe: " + engine.failure().get());
            return EXIT_FAILURE;
        }
        if (status == null) {
            status = ctrlC.endAfterInterrupt(p, engine::awaitAllGone);
            if (status == null) {
                engine.detach();
                tracing.kill(p);
                return 128 + 2;
            }
        }
        return status.shellCode();
    }

    private int attach(ProbeEngine engine, PrintWriter err) {
        TracedProcess p;
        try {
            p = engine.attach(pid);
        } catch (NoSuchTaskException e) {
            err.println("multitrace probe: cannot attach to " + pid + ": no such process");
            return EXIT_FAILURE;
        } catch (PermissionDeniedException e) {
            err.println("multitrace probe: cannot attach to " + pid + ": not permitted: " + e.reason());
            return EXIT_FAILURE;
        } catch (ProbeException e) {
            err.println("multitrace probe: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (TracingException | dev.multitrace.linux.LinuxException e) {
            err.println("multitrace probe: cannot attach to " + pid + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
        err.println("multitrace probe: Process " + pid + " attached");
        ExitStatus status = ctrlC.waitForEnd(p, engine::awaitAllGone);
        if (status == null) {
            engine.detach();
            err.println("multitrace probe: Process " + pid + " detached");
            return 0;
        }
        return status.shellCode();
    }

    /** What Ctrl-C does: stop waiting, detach, and return only when the command has let go. */
    void interruptAndWait() {
        ctrlC.interruptAndWait();
    }

    /** Ctrl-C without waiting (for a caller on another thread, such as a test). */
    void interrupt() {
        ctrlC.interrupt();
    }
}
