package dev.multitrace.core;

/** The answer of an engine call ({@code control}, {@code setEvents}, {@code detach}, {@code barrier}). */
public enum Result {
    /** Done. */
    OK,
    /** Accepted, but not complete: a callback may still be running, or the stop is on its way. */
    IN_PROGRESS,
    /** The task is gone (exited, killed, reaped). */
    NO_SUCH_TASK,
    /** Nothing to do: the engine already detached, or the request was already in effect. */
    ALREADY,
    /** {@link Engine#barrier} gave up waiting (timeout or interrupt). */
    TIMEOUT
}
