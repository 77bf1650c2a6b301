package dev.multitrace.engines;

import dev.multitrace.core.Engine;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One client's engines, one per thread it traces (a syscall tracer's, a probe's): they come as
 * threads are attached or born, go as threads die, and are let go together. A thread waiting for
 * all of them to be gone is woken by the last one's going.
 * <p>
 * Any thread may add, remove and iterate (the list is copy-on-write); the wait and its wake-up
 * synchronize on this object.
 */
public final class EngineGroup implements Iterable<Engine> {

    private final List<Engine> engines = new CopyOnWriteArrayList<>();

    public void add(Engine e) {
        engines.add(e);
    }

    public void addAll(Collection<Engine> es) {
        engines.addAll(es);
    }

    /** One engine's thread is gone (its REAP): wakes a waiter when it was the last. */
    public void remove(Engine e) {
        synchronized (this) {
            engines.remove(e);
            notifyAll();
        }
    }

    public Engine get(int i) {
        return engines.get(i);
    }

    public int size() {
        return engines.size();
    }

    public boolean isEmpty() {
        return engines.isEmpty();
    }

    public List<Engine> snapshot() {
        return List.copyOf(engines);
    }

    @Override
    public java.util.Iterator<Engine> iterator() {
        return engines.iterator();
    }

    /**
     * Detaches every engine, from any thread but a callback of one of them, and waits (up to 10 s
     * each) until no callback of theirs runs any more.
     */
    public void detachAll() {
        for (Engine e : engines) {
            e.detach();
        }
        for (Engine e : engines) {
            e.barrier(Duration.ofSeconds(10));
        }
        synchronized (this) {
            engines.clear();
            notifyAll();
        }
    }

    /**
     * Waits until every thread is gone (each engine removed) or the group was detached.
     *
     * @return false on timeout
     */
    public boolean awaitAllGone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!engines.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }
}
