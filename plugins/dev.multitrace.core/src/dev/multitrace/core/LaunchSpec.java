package dev.multitrace.core;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to launch: program and arguments, environment (null: the service's own), working
 * directory (null: the service's own), and whether stdio is piped to the caller or inherited.
 */
public record LaunchSpec(List<String> command, Map<String, String> environment, Path workingDirectory,
        boolean pipeStdio) {

    public LaunchSpec {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("nothing to launch: the command is empty");
        }
        command = List.copyOf(command);
        environment = environment == null ? null : Map.copyOf(environment);
    }

    public static LaunchSpec of(String... command) {
        return new LaunchSpec(List.of(command), null, null, true);
    }

    public LaunchSpec withEnvironment(Map<String, String> env) {
        return new LaunchSpec(command, env, workingDirectory, pipeStdio);
    }

    public LaunchSpec withWorkingDirectory(Path dir) {
        return new LaunchSpec(command, environment, dir, pipeStdio);
    }

    public LaunchSpec inheritStdio() {
        return new LaunchSpec(command, environment, workingDirectory, false);
    }
}
