package dev.multitrace.session;

/**
 * Why the debugger holds a thread stopped, as the Debug view's thread label says it.
 *
 * @param kind       what stopped it
 * @param detail     the breakpoint's label, the signal's name... (may be empty)
 * @param breakpoint for BREAKPOINT, WATCHPOINT and EVENT, the owner of the breakpoint or watchpoint that stopped it; else null
 */
public record StopReason(Kind kind, String detail, Object breakpoint) {

    public StopReason(Kind kind, String detail) {
        this(kind, detail, null);
    }

    public enum Kind {
        /** Held before its first instruction (launch with "stop at first instruction"). */
        ENTRY,
        /** The launch's "stop at main" breakpoint. */
        MAIN,
        BREAKPOINT,
        /** A watchpoint's bytes were written (or accessed). */
        WATCHPOINT,
        /** An event breakpoint (a signal, a system call, fork, exec, a thread's start or exit). */
        EVENT,
        STEP,
        SIGNAL,
        /** The user (or all-stop, for a sibling of a thread that stopped) asked for it. */
        SUSPEND,
        /** Just attached, held by the attach. */
        ATTACH
    }

    public static StopReason of(Kind kind) {
        return new StopReason(kind, "");
    }

    public String label() {
        String base = switch (kind) {
            case ENTRY -> "before first instruction";
            case MAIN -> "at main";
            case BREAKPOINT -> "breakpoint";
            case WATCHPOINT -> "watchpoint";
            case EVENT -> "event";
            case STEP -> "step";
            case SIGNAL -> "signal";
            case SUSPEND -> "suspended";
            case ATTACH -> "attached";
        };
        return detail.isEmpty() ? base : base + " " + detail;
    }

    @Override
    public String toString() {
        return label();
    }
}
