package dev.multitrace.core;

import dev.multitrace.linux.Errno;
import dev.multitrace.linux.Signal;

/**
 * Linux's names for the numbers engines meet in reports (signals, errno values), so that engines
 * print them without reaching the Linux layer below the service.
 */
public final class LinuxNames {

    private LinuxNames() {
    }

    /** {@code "SIGUSR1"}, {@code "SIGRTMIN+3"}; {@code "SIG<n>"} if out of range. */
    public static String signal(int sig) {
        return Signal.name(sig);
    }

    /** The number of a signal name ({@code "SIGINT"}, {@code "int"}, {@code "9"}); -1 if unknown. */
    public static int signalNumber(String name) {
        return Signal.number(name);
    }

    /** {@code "ENOENT"} for 2 (or -2); {@code "E<n>"} if unnamed. */
    public static String errno(int errno) {
        return Errno.name(errno);
    }

    /** The C library's text for an errno value: {@code "No such file or directory"}. */
    public static String errnoDescription(int errno) {
        return Errno.describe(errno);
    }
}
