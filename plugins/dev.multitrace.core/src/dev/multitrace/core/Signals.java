package dev.multitrace.core;

import dev.multitrace.linux.Signal;

/** Signal names and numbers for layers that must not see the Linux bundle (the Eclipse debug model). */
public final class Signals {

    /** The highest signal number (SIGRTMAX). */
    public static final int MAX = Signal.SIGRTMAX;

    private Signals() {
    }

    /** {@code "SIGUSR1"}, {@code "SIGRTMIN+3"}. */
    public static String name(int sig) {
        return Signal.name(sig);
    }

    /** The number for a name ({@code "SIGINT"}, {@code "int"}, {@code "RTMIN+2"}) or decimal text; -1 if unknown. */
    public static int number(String text) {
        return Signal.number(text);
    }

    /** Whether the default action of {@code sig} stops the process (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU). */
    public static boolean isStopSignal(int sig) {
        return Signal.isStopSignal(sig);
    }
}
