package dev.multitrace.core;

/** A request to the service that could not be done; the message says why, the cause says what Linux said. */
public class TracingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TracingException(String message) {
        super(message);
    }

    public TracingException(String message, Throwable cause) {
        super(message, cause);
    }
}
