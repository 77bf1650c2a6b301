package dev.multitrace.core;

/**
 * How a task ended, from its wait status.
 *
 * @param raw    the wait status
 * @param code   the exit code if it exited, else -1
 * @param signal the signal that killed it, else 0
 */
public record ExitStatus(int raw, int code, int signal) {

    /** Decodes a wait status of a process's end (exited or killed). */
    public static ExitStatus of(int raw) {
        int sig = raw & 0x7f;
        return sig == 0 ? new ExitStatus(raw, (raw >>> 8) & 0xff, 0) : new ExitStatus(raw, -1, sig);
    }

    public boolean exited() {
        return signal == 0;
    }

    /** The status a shell reports for this end: the exit code, or 128 plus the killing signal. */
    public int shellCode() {
        return exited() ? code : 128 + signal;
    }

    @Override
    public String toString() {
        return exited() ? "exited with " + code : "killed by " + dev.multitrace.linux.Signal.name(signal);
    }
}
