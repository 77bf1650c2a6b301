package dev.multitrace.core;

/** Flags of {@link Tracing#attach}, as utrace's {@code UTRACE_ATTACH_*}. */
public final class AttachFlags {
    /** Create a new engine; without it, attach is a look-up that finds a matching engine or fails. */
    public static final int CREATE = 1;
    /** With CREATE: fail if a matching engine is already attached. */
    public static final int EXCLUSIVE = 2;
    /** A matching engine has the same {@link EngineOps} instance. */
    public static final int MATCH_OPS = 4;
    /** A matching engine has the same data object ({@code equals}). */
    public static final int MATCH_DATA = 8;

    private AttachFlags() {
    }
}
