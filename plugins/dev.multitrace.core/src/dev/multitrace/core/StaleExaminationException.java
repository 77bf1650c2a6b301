package dev.multitrace.core;

/**
 * The task resumed (or died) since the {@link Examination} was made: what it read would no
 * longer be true. This is utrace's {@code -EAGAIN}; examine again at the next stop.
 */
public class StaleExaminationException extends TracingException {
    private static final long serialVersionUID = 1L;

    public StaleExaminationException(String message) {
        super(message);
    }
}
