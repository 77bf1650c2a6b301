package dev.multitrace.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An engine client's bookkeeping of the threads it holds stopped: "hold this thread and wake
 * the waiters". Each thread (a key {@code K}: a tid, an engine) is held, with the reason
 * {@code R} it was held for; or a stop was asked for it and not completed yet; or neither.
 * The debugger session and the GDB stub both keep their holds here.
 *
 * <h2>The protocol with the service</h2>
 * <ol>
 * <li>To stop a thread: {@link #requestStop} <em>first</em>, then {@code control(STOP)}, then
 * {@link #stopAnswered} with its result. The request is recorded before the call because the
 * QUIESCE report it asks for may run on the tracer thread before {@code control} returns, and
 * {@link #stopCompleted} (called from that QUIESCE) only completes a stop it finds requested.</li>
 * <li>A callback that decides to keep its thread for itself (an event to report): {@link #hold},
 * and it answers STOP.</li>
 * <li>Every other callback of the thread answers {@link #keep}: STOP while the thread is held
 * <em>or</em> a stop was requested. From the {@code control(STOP)} call on the engine's STOP vote
 * is sticky; a callback answering RESUME before the QUIESCE would take that vote back and the
 * thread would run until the QUIESCE the service still owes.</li>
 * <li>To let a thread go: {@link #release} <em>first</em>, then {@code control(RESUME)} (or a
 * step). The thread's next callback may run before {@code control} returns, and it must find the
 * thread not held, or it would hold it again.</li>
 * <li>To let a thread go whose requested stop has not come yet (all-stop: a resume right after
 * one thread's stop, before the others' stops arrive): {@link #cancelRequest}, and no
 * {@code control} call. The QUIESCE the service still owes finds the request cancelled
 * ({@link #takeCancelled}) and its callback answers RESUME, which takes the engine's STOP vote
 * back. No {@code control(RESUME)} from the canceller: between the cancel and that call the
 * thread's QUIESCE may come, and a new stop be asked for it (another thread stopped), and the
 * call would take back that new request's vote.</li>
 * <li>A stop answered OK (the thread was stopped already: no QUIESCE report follows for an engine that does not
 * ask for QUIESCE) whose request was cancelled before {@link #stopAnswered} holds nothing, and no report will
 * take the engine's STOP vote back: the requester takes it back itself ({@link #takeCancelled}, then
 * {@code control(RESUME)}), on the tracer thread together with the {@code control(STOP)} call
 * ({@link Engine#control(ResumeAction, java.util.function.Function)}), so that neither a callback nor a newer
 * request's {@code control(STOP)} comes in between.</li>
 * </ol>
 *
 * <h2>Synchronization</h2>
 * Every method takes the monitor given to the constructor; every change of a hold (held, released,
 * requested, dropped) {@code notifyAll}s it. An owner that waits for its own conditions as well
 * (the GDB stub waits for stops <em>and</em> for the client's packets) passes the monitor it
 * already waits on, so that one wait wakes for both and a hold can be recorded together with the
 * owner's other state under one lock. The helper never calls out (no engine, no listener) while
 * holding the monitor; neither may its owner call the service while holding it: the service's
 * calls wait for the tracer thread, which may be about to run a callback that needs the monitor.
 */
public final class StopHolds<K, R> {

    private final Object monitor;
    // --- Guarded by monitor. ---
    private final Map<K, R> held = new HashMap<>();
    private final Set<K> requested = new HashSet<>();
    private final Set<K> cancelled = new HashSet<>();

    /** @param monitor the lock guarding the holds and woken on each change (the owner's, or a new object) */
    public StopHolds(Object monitor) {
        this.monitor = monitor;
    }

    /**
     * Records that a stop is about to be asked for with {@code control(STOP)}.
     *
     * @return false if the thread is held already: there is nothing to ask
     */
    public boolean requestStop(K thread) {
        synchronized (monitor) {
            if (held.containsKey(thread)) {
                return false;
            }
            requested.add(thread);
            cancelled.remove(thread); // this request supersedes a cancelled one
            monitor.notifyAll();
            return true;
        }
    }

    /**
     * What {@code control(STOP)} answered: OK (the thread was stopped already, another engine
     * holds it) completes the stop now; IN_PROGRESS leaves it to the QUIESCE report
     * ({@link #stopCompleted}), which may have come already; anything else (the thread is gone)
     * drops the request.
     *
     * @return whether the thread became held now
     */
    public boolean stopAnswered(K thread, Result result, R reason) {
        synchronized (monitor) {
            return switch (result) {
                case OK -> requested.contains(thread) && holdLocked(thread, reason);
                case IN_PROGRESS -> false;
                default -> {
                    requested.remove(thread);
                    monitor.notifyAll();
                    yield false;
                }
            };
        }
    }

    /**
     * A QUIESCE report: a requested stop is complete, the thread is held. A QUIESCE nobody here
     * asked for (or a request released meanwhile) holds nothing.
     *
     * @return whether the thread became held now
     */
    public boolean stopCompleted(K thread, R reason) {
        synchronized (monitor) {
            return requested.contains(thread) && holdLocked(thread, reason);
        }
    }

    /**
     * Holds the thread (a callback keeps it for an event, a launch or attach hands it over held);
     * a pending request is complete. A thread held already keeps its first reason.
     *
     * @return whether the thread became held now (false: it was held already)
     */
    public boolean hold(K thread, R reason) {
        synchronized (monitor) {
            return holdLocked(thread, reason);
        }
    }

    private boolean holdLocked(K thread, R reason) {
        requested.remove(thread);
        cancelled.remove(thread);
        boolean now = held.putIfAbsent(thread, reason) == null;
        monitor.notifyAll();
        return now;
    }

    /**
     * Lets go of the hold, before the {@code control} call that lets the thread run. A thread that
     * is not held is left as it is: if a stop was requested for it, the service still owes the
     * QUIESCE (the engine's STOP vote stands, nobody resumes it), and that report must find the
     * request to hold the thread; dropping it would leave the thread stopped with nobody holding it.
     *
     * @return the reason it was held for; null if it was not held (then it must not be resumed
     *         on this client's behalf)
     */
    public R release(K thread) {
        synchronized (monitor) {
            R r = held.remove(thread);
            if (r != null) {
                monitor.notifyAll();
            }
            return r;
        }
    }

    /** Lets go only if the thread is still held for {@code reason} (not held again meanwhile for another). */
    public boolean release(K thread, R reason) {
        synchronized (monitor) {
            boolean released = held.remove(thread, reason);
            if (released) {
                monitor.notifyAll();
            }
            return released;
        }
    }

    /**
     * Cancels a requested stop that has not completed: the thread is to run on when it comes (see the
     * protocol above).
     *
     * @return whether a stop was pending
     */
    public boolean cancelRequest(K thread) {
        synchronized (monitor) {
            if (!requested.remove(thread)) {
                return false;
            }
            cancelled.add(thread);
            monitor.notifyAll();
            return true;
        }
    }

    /**
     * At a QUIESCE report that completed nothing: whether it is the one of a cancelled request, which the
     * callback answers with RESUME; the cancellation is consumed.
     */
    public boolean takeCancelled(K thread) {
        synchronized (monitor) {
            return cancelled.remove(thread);
        }
    }

    /** The thread is gone (exited, or renamed by an exec): it is neither held nor asked to stop. */
    public void forget(K thread) {
        synchronized (monitor) {
            requested.remove(thread);
            cancelled.remove(thread);
            held.remove(thread);
            monitor.notifyAll();
        }
    }

    /** Forgets every thread (the client detached from them all). */
    public void clear() {
        synchronized (monitor) {
            requested.clear();
            cancelled.clear();
            held.clear();
            monitor.notifyAll();
        }
    }

    /** What a callback answers when its event is not one to stop for: the hold (or the requested stop) stays. */
    public ResumeAction keep(K thread, ResumeAction otherwise) {
        synchronized (monitor) {
            return held.containsKey(thread) || requested.contains(thread) ? ResumeAction.STOP : otherwise;
        }
    }

    public boolean isHeld(K thread) {
        synchronized (monitor) {
            return held.containsKey(thread);
        }
    }

    /** Whether a stop was asked for and has not completed (nor been dropped) yet. */
    public boolean isStopRequested(K thread) {
        synchronized (monitor) {
            return requested.contains(thread);
        }
    }

    /** Why the thread is held; null if it is not. */
    public R reason(K thread) {
        synchronized (monitor) {
            return held.get(thread);
        }
    }

    /** The held threads and their reasons, a copy in no particular order. */
    public Map<K, R> held() {
        synchronized (monitor) {
            return new LinkedHashMap<>(held);
        }
    }

    public boolean anyHeld() {
        synchronized (monitor) {
            return !held.isEmpty();
        }
    }

    /**
     * Waits until no thread of {@code threads} has a stop requested and not completed: each is
     * held now, or its request was dropped. Threads nobody asked to stop are not waited for.
     *
     * @return false if the time ran out first
     */
    public boolean awaitStops(Collection<K> threads, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (monitor) {
            while (true) {
                boolean waiting = false;
                for (K t : threads) {
                    waiting |= requested.contains(t);
                }
                if (!waiting) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                monitor.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    @Override
    public String toString() {
        synchronized (monitor) {
            return "held " + held + ", stop requested " + requested + ", cancelled " + cancelled;
        }
    }
}
