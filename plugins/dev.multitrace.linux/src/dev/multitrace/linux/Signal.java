package dev.multitrace.linux;

import java.util.Locale;

/**
 * Linux signal numbers (x86-64), their names and default actions.
 *
 * <p>Real-time signals are named by kernel numbering: 32 is {@code SIGRTMIN}, 33..63 are
 * {@code SIGRTMIN+n}, 64 is {@code SIGRTMAX}. Note glibc's {@code SIGRTMIN} macro is 34
 * because NPTL reserves 32 (thread cancellation) and 33 (setxid).
 */
public final class Signal {

    public static final int SIGHUP = 1;
    public static final int SIGINT = 2;
    public static final int SIGQUIT = 3;
    public static final int SIGILL = 4;
    public static final int SIGTRAP = 5;
    public static final int SIGABRT = 6;
    public static final int SIGBUS = 7;
    public static final int SIGFPE = 8;
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGSEGV = 11;
    public static final int SIGUSR2 = 12;
    public static final int SIGPIPE = 13;
    public static final int SIGALRM = 14;
    public static final int SIGTERM = 15;
    public static final int SIGSTKFLT = 16;
    public static final int SIGCHLD = 17;
    public static final int SIGCONT = 18;
    public static final int SIGSTOP = 19;
    public static final int SIGTSTP = 20;
    public static final int SIGTTIN = 21;
    public static final int SIGTTOU = 22;
    public static final int SIGURG = 23;
    public static final int SIGXCPU = 24;
    public static final int SIGXFSZ = 25;
    public static final int SIGVTALRM = 26;
    public static final int SIGPROF = 27;
    public static final int SIGWINCH = 28;
    public static final int SIGIO = 29;
    public static final int SIGPWR = 30;
    public static final int SIGSYS = 31;
    public static final int SIGRTMIN = 32;
    public static final int SIGRTMAX = 64;

    private static final String[] NAMES = {
        null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE",
        "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT",
        "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    };

    private Signal() {
    }

    /** The name of a signal: {@code "SIGSEGV"}, {@code "SIGRTMIN+3"}; {@code "SIG<n>"} if out of range. */
    public static String name(int sig) {
        if (sig > 0 && sig < NAMES.length) {
            return NAMES[sig];
        }
        if (sig == SIGRTMIN) {
            return "SIGRTMIN";
        }
        if (sig == SIGRTMAX) {
            return "SIGRTMAX";
        }
        if (sig > SIGRTMIN && sig < SIGRTMAX) {
            return "SIGRTMIN+" + (sig - SIGRTMIN);
        }
        return "SIG" + sig;
    }

    /**
     * The number of a signal given as a name ({@code "SIGINT"}, {@code "int"},
     * {@code "SIGRTMIN+2"}, {@code "RTMAX-1"}, aliases IOT/POLL/CLD/UNUSED) or as a
     * decimal number; -1 if not recognised.
     */
    public static int number(String text) {
        String s = text.strip().toUpperCase(Locale.ROOT);
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(s);
            return n >= 1 && n <= SIGRTMAX ? n : -1;
        }
        if (!s.startsWith("SIG")) {
            s = "SIG" + s;
        }
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(s)) {
                return i;
            }
        }
        switch (s) {
            case "SIGIOT": return SIGABRT;
            case "SIGPOLL": return SIGIO;
            case "SIGCLD": return SIGCHLD;
            case "SIGUNUSED": return SIGSYS;
            case "SIGRTMIN": return SIGRTMIN;
            case "SIGRTMAX": return SIGRTMAX;
            default: break;
        }
        try {
            if (s.startsWith("SIGRTMIN+")) {
                int n = SIGRTMIN + Integer.parseInt(s.substring(9));
                return n <= SIGRTMAX ? n : -1;
            }
            if (s.startsWith("SIGRTMAX-")) {
                int n = SIGRTMAX - Integer.parseInt(s.substring(9));
                return n >= SIGRTMIN ? n : -1;
            }
        } catch (NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** The default action of a signal per signal(7); real-time signals terminate. */
    public static SignalDefault defaultAction(int sig) {
        return switch (sig) {
            case SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGXCPU, SIGXFSZ, SIGSYS ->
                SignalDefault.CORE;
            case SIGCHLD, SIGURG, SIGWINCH -> SignalDefault.IGN;
            case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> SignalDefault.STOP;
            case SIGCONT -> SignalDefault.CONT;
            default -> SignalDefault.TERM;
        };
    }

    /** True for the four signals that cause a group-stop by default. */
    public static boolean isStopSignal(int sig) {
        return defaultAction(sig) == SignalDefault.STOP;
    }

    /** Bit of {@code sig} in a /proc status mask or a kernel sigset word. */
    public static long maskBit(int sig) {
        return 1L << (sig - 1);
    }
}
