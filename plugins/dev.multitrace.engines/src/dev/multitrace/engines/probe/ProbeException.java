package dev.multitrace.engines.probe;

/**
 * A probe that cannot be set: its text does not parse, its location names nothing in the program, or its
 * expression is not C. The message is what gdb would say for the same command where gdb has one.
 */
public final class ProbeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean nameUnknown;

    public ProbeException(String message) {
        this(message, false);
    }

    /** @param nameUnknown the location names a function or file no loaded module has (a library loaded later may) */
    public ProbeException(String message, boolean nameUnknown) {
        super(message);
        this.nameUnknown = nameUnknown;
    }

    /** The location names a function or source file no module loaded so far has: a shared library loaded later may. */
    public boolean nameUnknown() {
        return nameUnknown;
    }
}
