package dev.multitrace.engines;

/** Reads a stopped tracee's memory for the decoders. */
interface TargetMemory {

    /** Up to {@code length} bytes at {@code address}: fewer where an unmapped page begins, none if unreadable. */
    byte[] read(long address, int length);
}
