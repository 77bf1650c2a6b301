package dev.multitrace.session;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A listener that queues the session's stops, so a test can wait for the next one. */
final class Stops implements SessionListener {

    record Stop(int tid, StopReason reason) {
    }

    private final BlockingQueue<Stop> stops = new LinkedBlockingQueue<>();
    final BlockingQueue<String> signals = new LinkedBlockingQueue<>();

    @Override
    public void threadStopped(int tid, StopReason reason) {
        stops.add(new Stop(tid, reason));
    }

    @Override
    public void signalReceived(int tid, int signal, boolean stopped) {
        signals.add(tid + ":" + signal);
    }

    /** The next stop of any thread with reason kind {@code kind}, others skipped. */
    Stop nextOfAny(StopReason.Kind kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            Stop s = stops.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("no " + kind + " stop within 90 s");
            }
            if (s.reason().kind() == kind) {
                return s;
            }
        }
    }

    void clear() {
        stops.clear();
    }

    /** The next stop of {@code tid} with reason kind {@code kind} (other stops, e.g. all-stop siblings, are skipped). */
    Stop next(int tid, StopReason.Kind kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            Stop s = stops.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("no " + kind + " stop of thread " + tid + " within 90 s");
            }
            if (s.tid() == tid && s.reason().kind() == kind) {
                return s;
            }
            if (s.tid() == tid) {
                throw new AssertionError("thread " + tid + " stopped for " + s.reason() + ", expected " + kind);
            }
        }
    }
}
