package dev.multitrace.session;

import dev.multitrace.core.Signals;
import dev.multitrace.engines.Syscalls;

/**
 * A user's event breakpoint (gdb's catchpoint): the thread stops at an event of the process rather
 * than at an address. The debugger engine sees it among the service's events: a signal before its
 * delivery, a system call at its entry, an exec in the thread that exec'd, a new thread before its
 * first instruction, a thread (not the leader) about to exit, a fork or a vfork in the thread that
 * made it. The session does not follow forks (gdb's follow-fork-mode parent with detach-on-fork on):
 * the parent stops in its fork with the child's pid in the stop's detail, and the child runs free,
 * untraced, a fork child without the int3 bytes its copy of the memory had (a vfork child shares the
 * parent's memory, whose breakpoints stay). A clone() that makes a process (not a thread) is a fork.
 *
 * @param kind   which event
 * @param number the signal or system call number; -1 for any (always -1 for the others)
 * @param owner  the Eclipse breakpoint it came from (opaque here), for suspend events
 */
public record EventCatchpoint(Kind kind, int number, Object owner) {

    public enum Kind {
        SIGNAL, SYSCALL, EXEC, THREAD_START, THREAD_EXIT, FORK, VFORK
    }

    public EventCatchpoint {
        if (number < -1 || number >= 0 && kind != Kind.SIGNAL && kind != Kind.SYSCALL) {
            throw new IllegalArgumentException(kind + " takes no number: " + number);
        }
    }

    /**
     * A catchpoint from what a user types: the kind and, for a signal or a system call, its name
     * ({@code SIGCHLD}, {@code CHLD}, {@code openat}) or number; blank for any.
     *
     * @throws IllegalArgumentException naming what is not a signal or a system call
     */
    public static EventCatchpoint of(Kind kind, String argument, Object owner) {
        String a = argument == null ? "" : argument.strip();
        if (a.isEmpty() || kind != Kind.SIGNAL && kind != Kind.SYSCALL) {
            return new EventCatchpoint(kind, -1, owner);
        }
        int n = kind == Kind.SIGNAL ? Signals.number(a) : a.matches("\\d+") ? Integer.parseInt(a) : Syscalls.number(a);
        if (kind == Kind.SIGNAL && (n < 1 || n > Signals.MAX)) {
            throw new IllegalArgumentException("not a signal: " + a);
        }
        if (kind == Kind.SYSCALL && (n < 0 || n > Syscalls.max())) {
            throw new IllegalArgumentException("not a system call of x86-64 Linux: " + a);
        }
        return new EventCatchpoint(kind, n, owner);
    }

    /** Whether an event of {@code kind} with {@code eventNumber} (signal, system call) is this one's. */
    boolean matches(Kind eventKind, long eventNumber) {
        return eventKind == kind && (number < 0 || number == eventNumber);
    }

    /**
     * What the Debug view says for a stop here: {@code syscall openat}, {@code signal SIGCHLD}, {@code exec},
     * {@code forked process 1234} (as gdb says it; the number is the child's pid).
     */
    static String describe(Kind kind, long eventNumber) {
        return switch (kind) {
            case SIGNAL -> "signal " + Signals.name((int) eventNumber);
            case SYSCALL -> "syscall " + Syscalls.name(eventNumber);
            case EXEC -> "exec";
            case THREAD_START -> "thread start";
            case THREAD_EXIT -> "thread exit";
            case FORK -> "forked process " + eventNumber;
            case VFORK -> "vforked process " + eventNumber;
        };
    }
}
