package dev.multitrace.symbols.values;

/**
 * Write access to a stopped program's memory, for assignments ({@code x = 5}). The symbol layer only says
 * what bytes go where; the debugger session writes them through the tracing service (a core file cannot be
 * written: there is no writer then, and assignments are refused).
 */
@FunctionalInterface
public interface MemoryWriter {

    /** Writes {@code data} at {@code address}; false if some of it could not be written. */
    boolean write(long address, byte[] data);
}
