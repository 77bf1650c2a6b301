package dev.multitrace.core;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an engine can ask to be told about (utrace's event list, plus BREAKPOINT, STEP and WATCHPOINT,
 * which exist because the service, not the engine, owns breakpoints and stepping).
 */
public enum Event {
    QUIESCE, REAP, CLONE, EXEC, EXIT, DEATH, SYSCALL_ENTRY, SYSCALL_EXIT,
    SIGNAL, SIGNAL_IGN, SIGNAL_STOP, SIGNAL_TERM, SIGNAL_CORE, JCTL, BREAKPOINT, STEP,
    /** A hardware watchpoint (debug register) this engine's client inserted fired. */
    WATCHPOINT,
    /**
     * The vfork child of this task exec'd or exited: the parent, suspended since its vfork, runs
     * again, and the memory they shared is its own again (PTRACE_EVENT_VFORK_DONE).
     */
    VFORK_DONE;

    final long bit = 1L << ordinal();

    /** Every signal-related event: any of them makes the engine part of signal reports. */
    static final long ANY_SIGNAL = SIGNAL.bit | SIGNAL_IGN.bit | SIGNAL_STOP.bit | SIGNAL_TERM.bit | SIGNAL_CORE.bit;
    static final long ANY_SYSCALL = SYSCALL_ENTRY.bit | SYSCALL_EXIT.bit;

    static long mask(Set<Event> events) {
        long m = 0;
        for (Event e : events) {
            m |= e.bit;
        }
        return m;
    }

    static EnumSet<Event> set(long mask) {
        EnumSet<Event> s = EnumSet.noneOf(Event.class);
        for (Event e : values()) {
            if ((mask & e.bit) != 0) {
                s.add(e);
            }
        }
        return s;
    }
}
