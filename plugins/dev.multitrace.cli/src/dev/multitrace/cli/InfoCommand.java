package dev.multitrace.cli;

import dev.multitrace.core.DebugRegisterSupport;
import dev.multitrace.core.Tracing;
import dev.multitrace.linux.ProcFs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code multitrace info}: what this machine lets a debugger do, found out rather than assumed.
 * Some virtual machines accept writes to the x86 debug registers and never trap (gdb then says
 * "Hardware watchpoint" and misses every write); this says so, and what the service does instead.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"What this machine lets a debugger do: ptrace's restrictions, and whether the",
                "x86 debug registers trap (probed on a helper process; where they do not, watchpoints",
                "are kept in software and execute breakpoints become int3 breakpoints)."})
public final class InfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("kernel:               " + firstLine(Path.of("/proc/sys/kernel/osrelease")));
        out.println("cpu:                  " + cpuModel());
        int scope = ProcFs.ptraceScope();
        out.println("ptrace_scope:         " + switch (scope) {
            case -1 -> "no Yama (any process of the same user can be traced)";
            case 0 -> "0 (any process of the same user can be traced)";
            case 1 -> "1 (only descendants can be attached, unless the tracer has CAP_SYS_PTRACE)";
            case 2 -> "2 (attach needs CAP_SYS_PTRACE)";
            default -> scope + " (attach is disabled)";
        });
        DebugRegisterSupport hw = Tracing.debugRegisters();
        out.println("data watchpoints:     " + (hw.dataWatchpoints()
                ? "hardware (" + hw.slots() + " debug registers), software beyond them"
                : "software only: write watches; read and access watches unavailable"));
        out.println("execute breakpoints:  " + (hw.executeBreakpoints() ? "hardware (debug registers)" : "software (int3)"));
        out.println("debug register probe: " + hw.detail());
        out.flush();
        return 0;
    }

    private static String firstLine(Path p) {
        try {
            return Files.readAllLines(p).get(0).strip();
        } catch (IOException | IndexOutOfBoundsException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
