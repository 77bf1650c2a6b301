package dev.multitrace.session;

import java.io.Writer;
import java.util.function.Consumer;

/** A writer that hands each complete line (without its newline) to a consumer: an engine's text output to a console. */
final class LineWriter extends Writer {

    private final Consumer<String> sink;
    private final StringBuilder line = new StringBuilder();

    LineWriter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (buf[i] == '\n') {
                sink.accept(line.toString());
                line.setLength(0);
            } else {
                line.append(buf[i]);
            }
        }
    }

    @Override
    public void flush() {
        // lines are handed on as they complete
    }

    @Override
    public synchronized void close() {
        if (!line.isEmpty()) {
            sink.accept(line.toString());
            line.setLength(0);
        }
    }
}
