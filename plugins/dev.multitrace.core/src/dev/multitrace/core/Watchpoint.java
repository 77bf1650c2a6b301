package dev.multitrace.core;

/**
 * A hardware watchpoint: {@code length} bytes (1, 2, 4 or 8, aligned to the length) at
 * {@code address}, firing on {@code kind}. Two engines that insert equal watchpoints share one
 * debug register slot.
 */
public record Watchpoint(long address, int length, WatchKind kind) {

    @Override
    public String toString() {
        return kind + " watchpoint 0x" + Long.toHexString(address) + "/" + length;
    }
}
