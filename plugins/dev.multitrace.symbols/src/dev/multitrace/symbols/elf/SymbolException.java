package dev.multitrace.symbols.elf;

/**
 * A file could not be read as ELF/DWARF: malformed, truncated, unsupported or unreadable. The message
 * always names the file and, where one is involved, the section ({@code "FILE: SECTION: what"}).
 * Unchecked so that lazily indexed lookups need no throws clauses; every parser in this bundle reports
 * bad input only through this exception (never an IndexOutOfBoundsException from deep inside).
 *
 * <p>It lives in {@code elf}, the lowest package of the symbol layer, because every other package
 * ({@code dwarf}, {@code unwind}, the top one) throws it: in the top package it made a package cycle.
 */
public class SymbolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final String section;

    public SymbolException(String file, String section, String message) {
        this(file, section, message, null);
    }

    public SymbolException(String file, String section, String message, Throwable cause) {
        super(file + ": " + (section == null ? "" : section + ": ") + message, cause);
        this.file = file;
        this.section = section;
    }

    /** The file (path or name) that could not be read. */
    public String file() {
        return file;
    }

    /** The section (e.g. {@code .debug_line}, {@code section headers}, {@code ELF header}), or null. */
    public String section() {
        return section;
    }
}
