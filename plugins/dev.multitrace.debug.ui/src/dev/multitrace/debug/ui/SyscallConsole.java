package dev.multitrace.debug.ui;

import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.eclipse.swt.widgets.Display;
import org.eclipse.ui.console.ConsolePlugin;
import org.eclipse.ui.console.IConsole;
import org.eclipse.ui.console.MessageConsole;
import org.eclipse.ui.console.MessageConsoleStream;

/**
 * A console that shows a syscall tracer's lines. The tracer's sink runs on the tracer thread and
 * must not block, so lines go into a queue that the UI thread drains into the console a few
 * times a second.
 */
final class SyscallConsole implements Consumer<String> {

    private static final int DRAIN_MS = 200;

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final MessageConsole console;
    private final MessageConsoleStream stream;
    private final Display display;
    private volatile boolean closed;

    SyscallConsole(String title, Display display) {
        this.display = display;
        console = new MessageConsole(title, null);
        ConsolePlugin.getDefault().getConsoleManager().addConsoles(new IConsole[] {console});
        stream = console.newMessageStream();
        display.timerExec(DRAIN_MS, this::drain);
    }

    /** Called on the tracer thread: queues the line, never blocks. */
    @Override
    public void accept(String line) {
        if (!closed) {
            lines.add(line);
        }
    }

    private void drain() {
        String line;
        StringBuilder text = new StringBuilder();
        while ((line = lines.poll()) != null) {
            text.append(line).append('\n');
        }
        if (!text.isEmpty()) {
            stream.print(text.toString());
        }
        if (!closed && !display.isDisposed()) {
            display.timerExec(DRAIN_MS, this::drain);
        }
    }

    /** Stops draining after the queued lines are shown; the console stays for reading. */
    void close() {
        closed = true;
        display.asyncExec(() -> {
            drain();
            try {
                stream.close();
            } catch (IOException e) {
                MultitraceUi.log("closing the syscall console", e);
            }
        });
    }
}
