package dev.multitrace.core;

import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.Signal;

/**
 * What one wait status of a traced task says, decoded once: a pure function of the status (no
 * kernel calls), so that the tracer's {@link Dispatcher} reads kinds instead of bits. What needs more
 * than the status is decided where it is handled: whether a SIGTRAP is a breakpoint, a
 * watchpoint or a step (its si_code, the debug status register, the int3 table:
 * {@code SignalDelivery.signalStop}), whether a syscall-stop is an entry or an exit (the task's
 * {@code syscallNr}), what an event's message says ({@code PTRACE_GETEVENTMSG}).
 */
sealed interface Stop {

    /** Not a stop: the task is gone, exited or killed by a signal ({@link ExitStatus#of} says which). */
    record Gone(int raw) implements Stop {
    }

    /** A syscall-stop (TRACESYSGOOD's SIGTRAP|0x80): entry or exit. */
    record Syscall() implements Stop {
    }

    /** A signal-delivery-stop. */
    record Delivery(int signal) implements Stop {
    }

    /** {@code PTRACE_EVENT_CLONE}, {@code _FORK} or {@code _VFORK}: the new task's id is the event message. */
    record Clone(int event, CloneKind kind) implements Stop {
    }

    /** {@code PTRACE_EVENT_EXEC}. */
    record Exec() implements Stop {
    }

    /** {@code PTRACE_EVENT_EXIT}: the task can still be examined; the exit status is the event message. */
    record Exit() implements Stop {
    }

    /** {@code PTRACE_EVENT_STOP} with a stop signal: a job-control stop. */
    record GroupStop(int signal) implements Stop {
    }

    /**
     * {@code PTRACE_EVENT_STOP} without a stop signal: the trap of a {@code PTRACE_INTERRUPT}, the
     * first stop of a seized or auto-attached task, or a LISTENing task woken by SIGCONT.
     */
    record Interrupt(int signal) implements Stop {
    }

    /** {@code PTRACE_EVENT_VFORK_DONE}: a vfork child exec'd or exited, its parent runs again (the child's id is the event message). */
    record VforkDone() implements Stop {
    }

    /** Any other event. */
    record OtherEvent(int event) implements Stop {
    }

    Syscall SYSCALL = new Syscall();
    Exec EXEC = new Exec();
    Exit EXIT = new Exit();
    VforkDone VFORK_DONE = new VforkDone();

    /** Decodes a {@code waitpid} status of a task traced with {@link Tracer#OPTIONS}. */
    static Stop decode(int raw) {
        if (!isStop(raw)) {
            return new Gone(raw);
        }
        int sig = (raw >>> 8) & 0xff;
        int event = (raw >>> 16) & 0xff;
        if (sig == (Signal.SIGTRAP | 0x80)) {
            return SYSCALL;
        }
        return switch (event) {
            case 0 -> new Delivery(sig);
            case PtraceConstants.EVENT_CLONE -> new Clone(event, CloneKind.THREAD);
            case PtraceConstants.EVENT_FORK -> new Clone(event, CloneKind.FORK);
            case PtraceConstants.EVENT_VFORK -> new Clone(event, CloneKind.VFORK);
            case PtraceConstants.EVENT_VFORK_DONE -> VFORK_DONE;
            case PtraceConstants.EVENT_EXEC -> EXEC;
            case PtraceConstants.EVENT_EXIT -> EXIT;
            case PtraceConstants.EVENT_STOP -> Signal.isStopSignal(sig) ? new GroupStop(sig) : new Interrupt(sig);
            default -> new OtherEvent(event);
        };
    }

    /** Whether the status is a ptrace stop (else the task is gone). */
    static boolean isStop(int raw) {
        return (raw & 0xff) == 0x7f;
    }

    /** Whether the status is the exit event stop (a paused process lets it through: see Tracer's rules). */
    static boolean isExitStop(int raw) {
        return isStop(raw) && ((raw >>> 16) & 0xff) == PtraceConstants.EVENT_EXIT;
    }

    /**
     * A stop inside the syscall an instruction executes (a syscall-stop, fork, clone, exec): the
     * instruction has not completed, so a single-step of it has not either.
     */
    default boolean insideInstruction() {
        return this instanceof Syscall || this instanceof Clone || this instanceof Exec || this instanceof VforkDone
                || this instanceof OtherEvent;
    }
}
