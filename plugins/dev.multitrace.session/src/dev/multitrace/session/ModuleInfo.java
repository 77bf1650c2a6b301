package dev.multitrace.session;

/**
 * A file mapped in the traced process (the executable, the dynamic linker, a shared library), in run-time
 * addresses.
 *
 * @param path      the file, as the process's mappings name it
 * @param base      where its lowest loadable segment starts (its first line of {@code /proc/PID/maps})
 * @param end       the first address after its highest loadable segment
 * @param debugInfo whether it has source lines (DWARF, its own or a separate debug file's): stripped libraries
 *                  have only their dynamic symbols
 */
public record ModuleInfo(String path, long base, long end, boolean debugInfo) {

    /** The file's name without directories. */
    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    public long size() {
        return end - base;
    }

    public boolean contains(long address) {
        return Long.compareUnsigned(address - base, size()) < 0;
    }
}
