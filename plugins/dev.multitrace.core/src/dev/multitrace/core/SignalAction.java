package dev.multitrace.core;

/**
 * The disposition of a signal being reported. {@code DELIVER, IGN, TERM, CORE, STOP, TSTP} are
 * results an engine may choose; {@code REPORT} (no real signal: the stop came from
 * {@link ResumeAction#INTERRUPT}) and {@code HANDLER} (a handler was just set up) only ever
 * arrive as arguments. Holding a signal is a separate flag, {@link SignalReport#hold()}.
 */
public enum SignalAction {
    DELIVER, IGN, TERM, CORE, STOP, TSTP, REPORT, HANDLER
}
