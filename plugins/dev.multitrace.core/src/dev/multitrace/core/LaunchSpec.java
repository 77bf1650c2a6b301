package dev.multitrace.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to launch: program and arguments, environment (null: the service's own), working
 * directory (null: the service's own), whether stdio is piped to the caller or inherited, and
 * whether the program runs without address space randomization ({@code personality(ADDR_NO_RANDOMIZE)},
 * gdb's {@code set disable-randomization on}: the same addresses in every run).
 */
public record LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory,
        boolean pipeStdio, boolean disableRandomization) {

    public LaunchSpec {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("nothing to launch: the command is empty");
        }
        command = List.copyOf(command);
        environment = environment == null ? null : Map.copyOf(environment);
    }

    /** A spec that leaves randomization as the service's own process has it. */
    public LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory,
            boolean pipeStdio) {
        this(command, environment, workingDirectory, pipeStdio, false);
    }

    public static LaunchSpec of(String... command) {
        return new LaunchSpec(List.of(command), null, null, true);
    }

    public LaunchSpec withEnvironment(Map<String, String> env) {
        return new LaunchSpec(command, env, workingDirectory, pipeStdio, disableRandomization);
    }

    public LaunchSpec withWorkingDirectory(Path dir) {
        return new LaunchSpec(command, environment, dir, pipeStdio, disableRandomization);
    }

    public LaunchSpec inheritStdio() {
        return new LaunchSpec(command, environment, workingDirectory, false, disableRandomization);
    }

    /** The same spec with address space randomization disabled (true) or left as it is (false). */
    public LaunchSpec withDisableRandomization(boolean disable) {
        return new LaunchSpec(command, environment, workingDirectory, pipeStdio, disable);
    }
}
