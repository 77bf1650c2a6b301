package dev.multitrace.core;

import java.util.List;

/**
 * One process of the machine as an attach dialog lists it.
 *
 * @param pid       process id
 * @param ppid      parent process id
 * @param name      command name (comm)
 * @param user      user name (or the uid as text)
 * @param state     state letter from /proc (R, S, T, t, Z...)
 * @param tracerPid the pid tracing it now, 0 if none
 * @param tracerName the command name of that tracer, empty if none or gone
 * @param commandLine its argument vector, empty for kernel threads and zombies
 */
public record HostProcess(int pid, int ppid, String name, String user, char state, int tracerPid, String tracerName,
        List<String> commandLine) {

    public HostProcess {
        commandLine = List.copyOf(commandLine);
    }

    /** Whether it is traced by someone now. */
    public boolean traced() {
        return tracerPid != 0;
    }
}
