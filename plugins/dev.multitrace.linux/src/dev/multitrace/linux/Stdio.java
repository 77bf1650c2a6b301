package dev.multitrace.linux;

/** What a spawned program's standard stream is connected to. */
public enum Stdio {
    /** A pipe whose other end the caller gets as a stream. */
    PIPE,
    /** The caller's own stream (same file descriptor). */
    INHERIT,
    /** /dev/null. */
    NULL
}
