package dev.multitrace.debug.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.debug.core.IStreamListener;
import org.eclipse.debug.core.model.IStreamMonitor;

/**
 * One output stream of a traced program (or an engine's log) for the Console view: text read by
 * its own daemon thread, kept in a buffer and passed to listeners as it arrives.
 * <p>
 * The buffer and the listener list change under {@code this}: a listener added while text arrives
 * sees each piece exactly once, either in {@link #getContents()} or in a notification.
 */
public final class TextStreamMonitor implements IStreamMonitor {

    private final List<IStreamListener> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder contents = new StringBuilder();
    private volatile Thread reader;

    /** Starts reading {@code in} (UTF-8) on a daemon thread until it ends. */
    public void pump(InputStream in, String threadName) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) > 0) {
                    append(new String(buf, 0, n));
                }
            } catch (IOException e) {
                // the pipe broke: the program is gone
            }
        }, threadName);
        t.setDaemon(true);
        reader = t;
        t.start();
    }

    /** Adds text (the syscall tracer's lines go here); safe from any thread, does not block on listeners' work. */
    public void append(String text) {
        synchronized (this) {
            contents.append(text);
        }
        for (IStreamListener l : listeners) {
            l.streamAppended(text, this);
        }
    }

    /** Waits (up to {@code millis}) until the pumped stream has ended, so that its last output is in. */
    public void join(long millis) {
        Thread t = reader;
        if (t != null) {
            try {
                t.join(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void addListener(IStreamListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized String getContents() {
        return contents.toString();
    }

    @Override
    public void removeListener(IStreamListener listener) {
        listeners.remove(listener);
    }
}
