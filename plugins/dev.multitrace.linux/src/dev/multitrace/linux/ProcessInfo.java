package dev.multitrace.linux;

import java.util.List;

/**
 * One process as a {@code ps}-like listing shows it.
 *
 * @param pid       process id
 * @param ppid      parent process id
 * @param name      command name (comm)
 * @param uid       effective user id
 * @param user      user name from /etc/passwd, or the uid as text
 * @param state     state letter
 * @param tracerPid tracer tid, 0 if not traced
 * @param cmdline   argument vector, empty for kernel threads and zombies
 */
public record ProcessInfo(int pid, int ppid, String name, int uid, String user, char state, int tracerPid,
        List<String> cmdline) {
}
