package dev.multitrace.cli.faults;

import dev.multitrace.core.ExitStatus;

/** What ends the program at a random moment, and how its end must look. */
public enum FaultKind {
    /** The harness sends SIGKILL (Terminate, an outside kill -9). */
    SIGKILL((char) 0),
    /** A thread other than main calls exit_group(3) (main itself in a single-threaded program). */
    EXIT_GROUP('x'),
    /** A thread other than main execs /bin/true (main itself in a single-threaded program). */
    EXEC('e'),
    /** A thread other than main stores through a null pointer. */
    SIGSEGV('s');

    /** The byte that tells faulty.c's fault thread to commit it (0: the harness does it). */
    final char command;

    FaultKind(char command) {
        this.command = command;
    }

    boolean expected(ExitStatus st) {
        return switch (this) {
            case SIGKILL -> st.signal() == dev.multitrace.linux.Signal.SIGKILL;
            case EXIT_GROUP -> st.exited() && st.code() == 3;
            case EXEC -> st.exited() && st.code() == 0;
            case SIGSEGV -> st.signal() == dev.multitrace.linux.Signal.SIGSEGV;
        };
    }
}
