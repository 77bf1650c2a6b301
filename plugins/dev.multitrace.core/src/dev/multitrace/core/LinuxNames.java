package dev.multitrace.core;

import dev.multitrace.linux.Errno;

/**
 * Linux's names for the errno values engines meet in reports, so that engines print them without
 * reaching the Linux layer below the service. Signal names are {@link Signals}'.
 */
public final class LinuxNames {

    private LinuxNames() {
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
