package dev.multitrace.cli;

import dev.multitrace.core.Tracing;
import dev.multitrace.engines.SyscallFilter;
import dev.multitrace.engines.SyscallTracer;
import dev.multitrace.rsp.GdbServer;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
 * {@code multitrace gdbserver}: gdbserver's command line over the tracing service, so scripts and
 * IDEs that start gdbserver can start this instead, while other engines trace the same process.
 * <pre>
 *   multitrace gdbserver [--once] HOST:PORT PROG [ARGS...]
 *   multitrace gdbserver [--once] --attach HOST:PORT PID     (gdbserver's order)
 *   multitrace gdbserver [--once] --attach PID HOST:PORT
 *   multitrace gdbserver --multi HOST:PORT [PROG [ARGS...]]
 *   multitrace gdbserver --trace-syscalls[=FILE] ...     (and the syscall tracer engine beside gdb's)
 * </pre>
 * Parsing stops at the first positional word (HOST:PORT): what follows is the program's.
 */
@Command(name = "gdbserver", mixinStandardHelpOptions = true, modelTransformer = GdbserverCommand.ProgramEndsOptions.class,
        description = {"A GDB remote-protocol server (drop-in for gdbserver) whose stub is one engine of the tracing service.",
            "Connect with: gdb PROG -ex 'target remote HOST:PORT' (or 'target extended-remote' with --multi).",
            "HOST:PORT binds the loopback interface when HOST is empty (:PORT); port 0 picks a free port."})
public final class GdbserverCommand implements Callable<Integer> {

    /** {@code gdbserver :1234 ls -l} must not read {@code -l} as ours: options end at HOST:PORT, as gdbserver's do. */
    static final class ProgramEndsOptions implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec commandSpec) {
            commandSpec.parser().stopAtPositional(true);
            return commandSpec;
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Exit after the first client disconnects (the program is detached, or killed if it was launched and the client killed it).")
    boolean once;

    @Option(names = "--multi", description = "Start without a program and stay up for 'target extended-remote' clients (vRun, vAttach) until 'monitor exit'.")
    boolean multi;

    @Option(names = "--attach", arity = "0..1", fallbackValue = "", paramLabel = "PID",
            description = "Attach to a running process instead of starting one (PID before or after HOST:PORT).")
    String attach;

    @Option(names = "--trace-syscalls", arity = "0..1", fallbackValue = "-", paramLabel = "FILE",
            description = "Also trace the program's system calls and signals with the syscall tracer engine, strace-style, "
                    + "to FILE (default: stderr). Both engines trace the same threads; the trace stays "
                    + "the program's own whatever gdb does (an interrupt can add a restart_syscall line).")
    String traceSyscalls;

    @Parameters(paramLabel = "HOST:PORT [PROG [ARGS...]] | PID", arity = "0..*",
            description = "Where to listen, then the program and its arguments (or, with --attach, the pid).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String> rest = new ArrayList<>(args);
        if (traceSyscalls != null && traceSyscalls.matches("[^/]*:\\d+")) {
            // "--trace-syscalls :1234 prog": the option has no FILE, the next word is HOST:PORT
            rest.add(0, traceSyscalls);
            traceSyscalls = "-";
        }
        Integer pid = null;
        if (attach != null) {
            if (!attach.isEmpty() && attach.matches("\\d+")) {
                pid = Integer.parseInt(attach);
            } else {
                if (!attach.isEmpty()) {
                    rest.add(0, attach); // gdbserver's order: --attach COMM PID
                }
                if (rest.size() != 2 || !rest.get(1).matches("\\d+")) {
                    return usage(err, "--attach needs HOST:PORT and a process id");
                }
                pid = Integer.parseInt(rest.remove(1));
            }
        }
        if (rest.isEmpty()) {
            return usage(err, "missing HOST:PORT");
        }
        String comm = rest.remove(0);
        if (pid != null && !rest.isEmpty()) {
            return usage(err, "--attach takes no program: " + rest);
        }
        if (pid == null && rest.isEmpty() && !multi) {
            return usage(err, "no program to run (give PROG, --attach PID, or --multi)");
        }
        int colon = comm.lastIndexOf(':');
        int port;
        InetAddress host;
        try {
            port = Integer.parseInt(colon < 0 ? comm : comm.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            String h = colon <= 0 ? "" : comm.substring(0, colon);
            host = h.isEmpty() ? null : InetAddress.getByName(h);
        } catch (NumberFormatException e) {
            return usage(err, "'" + comm + "' is not HOST:PORT (a TCP port 0-65535; serial lines and stdio are not supported)");
        } catch (UnknownHostException e) {
            return usage(err, "unknown host in '" + comm + "'");
        }
        Writer traceOut = null;
        try (Tracing tracing = Tracing.start();
                GdbServer server = new GdbServer(tracing, host, port, new GdbServer.Options(once, multi, true), err)) {
            SyscallTracer tracer = null;
            if (traceSyscalls != null) {
                boolean toFile = !traceSyscalls.equals("-");
                traceOut = toFile ? new OutputStreamWriter(Files.newOutputStream(Path.of(traceSyscalls)), StandardCharsets.ISO_8859_1)
                        : err;
                SyscallTracer t = new SyscallTracer(tracing, traceOut, SyscallFilter.all(), true, toFile);
                server.onNewProcess(p -> p.tasks().forEach(t::attach));
                tracer = t;
            }
            if (pid != null) {
                server.attach(pid);
            } else if (!rest.isEmpty()) {
                server.launch(rest);
            }
            server.serve();
            if (tracer != null) {
                // A program gdb detached from runs on, traced: the trace ends with it, as strace's would.
                tracer.awaitAllGone(Duration.ofDays(365));
            }
            err.println("Exiting");
            err.flush();
            return 0;
        } catch (IOException | RuntimeException e) {
            // a port in use, a program that cannot start, no such process, attach refused (with why)
            err.println("multitrace gdbserver: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            if (traceOut != null && traceOut != err) {
                try {
                    traceOut.close();
                } catch (IOException e) {
                    err.println("multitrace gdbserver: " + traceSyscalls + ": " + e.getMessage());
                }
            }
        }
    }

    private int usage(PrintWriter err, String problem) {
        err.println("multitrace gdbserver: " + problem);
        spec.commandLine().usage(err);
        return CommandLine.ExitCode.USAGE;
    }
}
