package dev.multitrace.engines.probe;

/**
 * A probe that cannot be set: its text does not parse, its location names nothing in the program, or its
 * expression is not C. The message is what gdb would say for the same command where gdb has one.
 */
public final class ProbeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProbeException(String message) {
        super(message);
    }
}
