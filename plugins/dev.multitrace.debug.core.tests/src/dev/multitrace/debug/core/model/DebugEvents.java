package dev.multitrace.debug.core.model;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.debug.core.DebugEvent;
import org.eclipse.debug.core.DebugPlugin;
import org.eclipse.debug.core.IDebugEventSetListener;

/** Collects the platform's debug events so that a test can wait for the one it expects. */
final class DebugEvents implements IDebugEventSetListener, AutoCloseable {

    private final BlockingQueue<DebugEvent> events = new LinkedBlockingQueue<>();

    DebugEvents() {
        DebugPlugin.getDefault().addDebugEventListener(this);
    }

    @Override
    public void handleDebugEvents(DebugEvent[] set) {
        for (DebugEvent e : set) {
            events.add(e);
        }
    }

    /** The next event matching {@code p} within 90 s (earlier ones are dropped). */
    DebugEvent next(String what, Predicate<DebugEvent> p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            DebugEvent e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                throw new AssertionError("no " + what + " within 90 s");
            }
            if (p.test(e)) {
                return e;
            }
        }
    }

    /** The next SUSPEND of a Multitrace thread, with {@code detail}. */
    MultitraceThread suspended(int detail) throws InterruptedException {
        return (MultitraceThread) next("suspend (detail " + detail + ")", e -> e.getKind() == DebugEvent.SUSPEND
                && e.getDetail() == detail && e.getSource() instanceof MultitraceThread).getSource();
    }

    @Override
    public void close() {
        DebugPlugin.getDefault().removeDebugEventListener(this);
    }
}
