package dev.multitrace.linux;

import static dev.multitrace.linux.PtraceConstants.EVENT_STOP;

/**
 * Decoder for the {@code int} status that {@code waitpid} stores, following the glibc
 * {@code W*} macros plus the ptrace extensions (event in bits 16..23, syscall-stops
 * marked with {@code SIGTRAP|0x80} under {@code PTRACE_O_TRACESYSGOOD}).
 *
 * @param raw the status word as the kernel wrote it
 */
public record WaitStatus(int raw) {

    /** The process exited normally ({@code WIFEXITED}). */
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    /** Exit code when {@link #exited()} ({@code WEXITSTATUS}). */
    public int exitCode() {
        return (raw >>> 8) & 0xff;
    }

    /** Killed by a signal ({@code WIFSIGNALED}). */
    public boolean killed() {
        int s = raw & 0x7f;
        return s != 0 && s != 0x7f;
    }

    /** The terminating signal when {@link #killed()} ({@code WTERMSIG}). */
    public int termSig() {
        return raw & 0x7f;
    }

    /** A core was dumped ({@code WCOREDUMP}). */
    public boolean coreDumped() {
        return killed() && (raw & 0x80) != 0;
    }

    /** The task is stopped: any ptrace-stop ({@code WIFSTOPPED}). */
    public boolean stopped() {
        return (raw & 0xff) == 0x7f;
    }

    /** The stop signal when {@link #stopped()} ({@code WSTOPSIG}); {@code SIGTRAP|0x80} for syscall-stops. */
    public int stopSig() {
        return (raw >>> 8) & 0xff;
    }

    /** Resumed by SIGCONT ({@code WIFCONTINUED}, only with WCONTINUED). */
    public boolean continued() {
        return raw == 0xffff;
    }

    /** The ptrace event ({@code PTRACE_EVENT_*}) of a stop, 0 if none. */
    public int ptraceEvent() {
        return (raw >>> 16) & 0xff;
    }

    /** A syscall-entry or -exit stop (needs {@code PTRACE_O_TRACESYSGOOD}). */
    public boolean isSyscallStop() {
        return stopped() && stopSig() == (Signal.SIGTRAP | 0x80);
    }

    /** A ptrace event stop such as EXEC or CLONE (including EVENT_STOP). */
    public boolean isEventStop() {
        return stopped() && ptraceEvent() != 0;
    }

    /** A group-stop of a seized tracee: EVENT_STOP with a stopping signal. */
    public boolean isGroupStop() {
        if (!stopped() || ptraceEvent() != EVENT_STOP) {
            return false;
        }
        int sig = stopSig();
        return sig == Signal.SIGSTOP || sig == Signal.SIGTSTP || sig == Signal.SIGTTIN || sig == Signal.SIGTTOU;
    }

    /**
     * The stop caused by {@code PTRACE_INTERRUPT} (or the initial stop of a new clone
     * under SEIZE): EVENT_STOP with SIGTRAP.
     */
    public boolean isInterruptStop() {
        return stopped() && ptraceEvent() == EVENT_STOP && stopSig() == Signal.SIGTRAP;
    }

    /** A signal-delivery-stop: stopped, no event, not a syscall-stop. */
    public boolean isSignalDeliveryStop() {
        return stopped() && ptraceEvent() == 0 && stopSig() != (Signal.SIGTRAP | 0x80);
    }

    @Override
    public String toString() {
        if (exited()) {
            return "exited(" + exitCode() + ")";
        }
        if (killed()) {
            return "killed(" + Signal.name(termSig()) + (coreDumped() ? ", core" : "") + ")";
        }
        if (continued()) {
            return "continued";
        }
        if (stopped()) {
            if (isSyscallStop()) {
                return "stopped(syscall)";
            }
            int ev = ptraceEvent();
            String sig = Signal.name(stopSig() & 0x7f);
            return ev == 0 ? "stopped(" + sig + ")"
                    : "stopped(" + sig + ", event " + PtraceConstants.eventName(ev) + ")";
        }
        return "status(0x" + Integer.toHexString(raw) + ")";
    }
}
