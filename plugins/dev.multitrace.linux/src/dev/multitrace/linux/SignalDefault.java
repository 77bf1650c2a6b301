package dev.multitrace.linux;

/** A signal's default disposition as signal(7) lists it. */
public enum SignalDefault {
    /** Terminate the process. */
    TERM,
    /** Ignore the signal. */
    IGN,
    /** Terminate and dump core. */
    CORE,
    /** Stop the process (job control). */
    STOP,
    /** Continue the process if stopped. */
    CONT
}
