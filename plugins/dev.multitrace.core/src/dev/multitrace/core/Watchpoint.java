package dev.multitrace.core;

/**
 * A watchpoint: {@code length} bytes at {@code address}, firing on {@code kind}, kept by
 * {@code method}. A hardware one covers 1, 2, 4 or 8 bytes aligned to its length; a software one
 * any length. Two engines that insert equal watchpoints share one (one debug register slot, or
 * one software watch).
 */
public record Watchpoint(long address, int length, WatchKind kind, WatchMethod method) {

    /** A hardware watchpoint (the form the service had before software watchpoints). */
    public Watchpoint(long address, int length, WatchKind kind) {
        this(address, length, kind, WatchMethod.HARDWARE);
    }

    @Override
    public String toString() {
        return (method == WatchMethod.SOFTWARE ? "software " : "") + kind + " watchpoint 0x" + Long.toHexString(address) + "/" + length;
    }
}
