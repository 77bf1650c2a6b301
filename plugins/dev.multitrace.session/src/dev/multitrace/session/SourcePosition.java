package dev.multitrace.session;

/**
 * A run-time address's line: the line-table row that covers it.
 *
 * @param file      the source path as the line table names it
 * @param line      1-based line number (0: compiler-generated code)
 * @param rowStart  the address where the covering row begins (the pc is at a statement start when equal)
 * @param rowEnd    the first address after the row (the next row's address)
 * @param statement the row is a statement boundary (is_stmt)
 */
public record SourcePosition(String file, int line, long rowStart, long rowEnd, boolean statement) {

    /** The file name without directories (what source lookup matches). */
    public String fileName() {
        int slash = file.lastIndexOf('/');
        return slash < 0 ? file : file.substring(slash + 1);
    }

    public boolean sameLine(SourcePosition o) {
        return o != null && o.line == line && o.file.equals(file);
    }
}
