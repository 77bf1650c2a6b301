package dev.multitrace.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * The syscall tracer's lines, strace's layout: a syscall's entry is written at once and its line
 * left open until it returns; when another task's output comes first the open line ends with
 * {@code <unfinished ...>} and the return is written later as {@code <... read resumed>}. The
 * result is aligned at column 40. A prefix names the task: {@code [pid  123] } on a terminal
 * while several tasks are traced, or {@code 123   } on every line when writing to a file with
 * {@code -f}.
 * <p>
 * Synchronized: callbacks write from the tracer thread, {@link #detached} from any thread.
 */
final class TraceOutput {

    /** How lines name their task. */
    enum Prefix {
        /** {@code [pid N] } while more than one task is traced (strace writing to stderr). */
        WHEN_SEVERAL,
        /** {@code N } on every line (strace {@code -f -o FILE}). */
        ALWAYS,
        /** Never (one task, or prefixes not wanted). */
        NEVER
    }

    static final int RESULT_COLUMN = 40;

    private final Writer out;
    private final Prefix prefix;
    /** The task whose syscall line is open (written up to its arguments), or 0. */
    private int openTid;
    private int column;
    private int tasks;

    TraceOutput(Writer out, Prefix prefix) {
        this.out = out;
        this.prefix = prefix;
    }

    synchronized void taskAdded() {
        tasks++;
    }

    synchronized void taskGone() {
        tasks--;
    }

    /** Starts the line of a syscall entry; it stays open for the syscall's return. */
    synchronized void entry(int tid, String text) {
        interrupt();
        start(tid);
        write(text);
        openTid = tid;
        flush();
    }

    /**
     * Ends a syscall line: {@code rest} completes the arguments (it ends with {@code )}), then
     * {@code = result}. Opens a {@code <... name resumed>} line if the entry's line was cut.
     */
    synchronized void exit(int tid, String name, String rest, String result) {
        if (openTid != tid) {
            interrupt();
            start(tid);
            write("<... " + name + " resumed>");
        }
        write(rest);
        write(" ");
        if (column < RESULT_COLUMN) {
            write(" ".repeat(RESULT_COLUMN - column));
        }
        write("= " + result);
        newline();
    }

    /** A whole line (a signal, an exit) for task {@code tid}. */
    synchronized void line(int tid, String text) {
        interrupt();
        start(tid);
        write(text);
        newline();
    }

    /** The tracer let go: an open line ends with {@code <detached ...>}, as strace's do. */
    synchronized void detached() {
        if (openTid != 0) {
            write(" <detached ...>");
            newline();
        }
    }

    /** Whether {@code tid}'s syscall line is still open. */
    synchronized boolean isOpen(int tid) {
        return openTid == tid;
    }

    private void interrupt() {
        if (openTid != 0) {
            write(" <unfinished ...>");
            newline();
        }
    }

    private void start(int tid) {
        column = 0;
        switch (prefix) {
            case ALWAYS -> write(String.format("%-5d ", tid));
            case WHEN_SEVERAL -> {
                if (tasks > 1) {
                    write(String.format("[pid %5d] ", tid));
                }
            }
            case NEVER -> {
            }
        }
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        column += s.length();
    }

    private void newline() {
        write("\n");
        column = 0;
        openTid = 0;
        flush();
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
