package dev.multitrace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code multitrace} command. Runs without OSGi: put this bundle's jar,
 * dev.multitrace.linux, .core, .symbols, .engines, .rsp, JNA and picocli on a classpath and
 * start this class.
 */
@Command(name = "multitrace", mixinStandardHelpOptions = true, version = "0.1.0",
        description = "Multitrace: a Linux debugger and tracer built on ptrace.",
        subcommands = {PsCommand.class, TraceCommand.class, GdbserverCommand.class, BenchCommand.class,
            InfoCommand.class, FaultsCommand.class, ProbeCommand.class})
public final class Main implements Callable<Integer> {

    /** Exit code for wrong usage, as picocli uses for unparseable arguments. */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: show the usage on stderr. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_USAGE;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
