package dev.multitrace.session;

/**
 * A function in the traced process, in run-time addresses.
 *
 * @param name  its symbol name
 * @param start its first instruction
 * @param size  its size in bytes (0 if the symbol has none)
 */
public record FunctionInfo(String name, long start, long size) {

    public boolean contains(long pc) {
        return Long.compareUnsigned(pc - start, Math.max(size, 1)) < 0;
    }
}
