package dev.multitrace.cli;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.TracingException;
import dev.multitrace.engines.SyscallFilter;
import dev.multitrace.engines.SyscallTracer;
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
 * {@code multitrace trace}: strace's common use on the tracing service. The trace goes to stderr
 * (or {@code -o FILE}); the exit code is the program's, as strace's is. With {@code -p}, Ctrl-C
 * detaches and leaves the process running.
 */
@Command(name = "trace", mixinStandardHelpOptions = true, modelTransformer = TraceCommand.ProgramEndsOptions.class,
        description = {"Trace the system calls and signals of a program or a running process, printing "
            + "strace-style lines (name(args) = result).",
            "The exit code is the program's (128+N if killed by signal N)."})
public final class TraceCommand implements Callable<Integer> {

    /** Everything from PROG on is the program's: {@code trace ls -l} must not read {@code -l} as ours. */
    static final class ProgramEndsOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.parser().stopAtPositional(true);
            return commandSpec;
        }
    }

    /** Exit code for a trace that could not start (no such process, not permitted, cannot launch). */
    public static final int EXIT_FAILURE = 1;

    @Spec
    CommandSpec spec;

    @Option(names = "-e", paramLabel = "EXPR",
            description = "Which syscalls to print: trace=NAME,NAME / trace=%%file (%%process, %%network, "
                + "%%signal, %%ipc, %%desc, %%memory, %%creds, %%clock) / trace=!NAME; 'trace=' may be omitted.")
    List<String> expressions = new ArrayList<>();

    @Option(names = "-f", description = "Follow threads and forked children.")
    boolean follow;

    @Option(names = "-o", paramLabel = "FILE", description = "Write the trace to FILE instead of stderr.")
    Path outputFile;

    @Option(names = "-p", paramLabel = "PID", description = "Attach to a running process (Ctrl-C detaches).")
    List<Integer> pids = new ArrayList<>();

    @Parameters(paramLabel = "PROG", arity = "0..*", description = "The program to run and its arguments.")
    List<String> command = new ArrayList<>();

    /** Released by {@link #interrupt} (the Ctrl-C hook): stop waiting and detach. */
    private final CtrlC ctrlC = new CtrlC();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (pids.isEmpty() == command.isEmpty()) {
            err.println("multitrace trace: give either -p PID or a program to run (not both)");
            spec.commandLine().usage(err);
            return Main.EXIT_USAGE;
        }
        SyscallFilter filter;
        try {
            filter = SyscallFilter.parse(expressions);
        } catch (IllegalArgumentException e) {
            err.println("multitrace trace: " + e.getMessage());
            return Main.EXIT_USAGE;
        }
        for (int pid : pids) {
            if (pid <= 0) {
                err.println("multitrace trace: -p " + pid + ": not a process id");
                return Main.EXIT_USAGE;
            }
        }
        Writer out;
        try {
            out = outputFile == null ? err
                    : new java.io.BufferedWriter(new OutputStreamWriter(Files.newOutputStream(outputFile),
                            StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            err.println("multitrace trace: cannot write " + outputFile + ": " + e.getMessage());
            return EXIT_FAILURE;
        }
        Thread hook = new Thread(this::interruptAndWait, "multitrace trace: Ctrl-C");
        Runtime.getRuntime().addShutdownHook(hook);
        try (Tracing tracing = Tracing.start()) {
            SyscallTracer tracer = new SyscallTracer(tracing, out, filter, follow, outputFile != null);
            return pids.isEmpty() ? runProgram(tracing, tracer, err) : attach(tracer, err);
        } finally {
            ctrlC.finished();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for us
            }
            if (outputFile != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    err.println("multitrace trace: " + outputFile + ": " + e.getMessage());
                }
            }
            err.flush();
        }
    }

    private int runProgram(Tracing tracing, SyscallTracer tracer, PrintWriter err) {
        String missing = missingProgram(command.get(0));
        if (missing != null) {
            err.println("multitrace trace: " + missing);
            return EXIT_FAILURE;
        }
        TracedProcess p;
        try {
            p = tracer.launch(new LaunchSpec(command, null, null, false));
        } catch (TracingException | dev.multitrace.linux.LinuxException e) {
            err.println("multitrace trace: " + e.getMessage());
            return EXIT_FAILURE;
        }
        ExitStatus status = ctrlC.waitForEnd(p, tracer::awaitAllGone);
        if (status == null) {
            status = ctrlC.endAfterInterrupt(p, tracer::awaitAllGone);
            if (status == null) {
                tracer.detach();
                tracing.kill(p);
                return 128 + 2;
            }
        }
        return status.shellCode();
    }

    /**
     * Why {@code program} cannot be run, or null if it can: checked here, like strace does, so
     * that the error names the program rather than the exit status of the launch's gate shell.
     */
    static String missingProgram(String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!Files.exists(p)) {
                return "cannot run " + program + ": no such file";
            }
            return executable(p) ? null : "cannot run " + program + ": not an executable file";
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (executable(p)) {
                return null;
            }
        }
        return "cannot find program '" + program + "' in PATH";
    }

    /** A regular file with an execute bit (access(X_OK) says yes to root for any file). */
    private static boolean executable(Path p) {
        try {
            return Files.isRegularFile(p) && Files.getPosixFilePermissions(p).stream()
                    .anyMatch(x -> x.name().endsWith("_EXECUTE"));
        } catch (IOException e) {
            return false;
        }
    }

    private int attach(SyscallTracer tracer, PrintWriter err) {
        List<TracedProcess> attached = new ArrayList<>();
        for (int pid : pids) {
            try {
                attached.add(tracer.attach(pid, () -> err.println("multitrace trace: Process " + pid + " attached")));
            } catch (NoSuchTaskException e) {
                err.println("multitrace trace: cannot attach to " + pid + ": no such process");
                tracer.detach();
                return EXIT_FAILURE;
            } catch (PermissionDeniedException e) {
                err.println("multitrace trace: cannot attach to " + pid + ": not permitted: " + e.reason());
                tracer.detach();
                return EXIT_FAILURE;
            } catch (TracingException | dev.multitrace.linux.LinuxException e) {
                err.println("multitrace trace: cannot attach to " + pid + ": " + e.getMessage());
                tracer.detach();
                return EXIT_FAILURE;
            }
        }
        ExitStatus last = null;
        for (TracedProcess p : attached) {
            last = ctrlC.waitForEnd(p, tracer::awaitAllGone);
            if (last == null) {
                tracer.detach();
                for (int pid : pids) {
                    err.println("multitrace trace: Process " + pid + " detached");
                }
                return 0;
            }
        }
        return last.shellCode();
    }

    /**
     * What Ctrl-C does: stop waiting, detach (a process attached with {@code -p} runs on), and
     * return only when the command has let go, so that the JVM does not exit mid-detach.
     */
    void interruptAndWait() {
        ctrlC.interruptAndWait();
    }

    /** Ctrl-C without waiting (for a caller on another thread, such as a test). */
    void interrupt() {
        ctrlC.interrupt();
    }
}
