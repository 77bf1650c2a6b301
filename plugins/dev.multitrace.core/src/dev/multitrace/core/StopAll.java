package dev.multitrace.core;

import dev.multitrace.linux.NoSuchTaskException;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.Signal;

import java.util.ArrayList;

/**
 * Stop-all: pauses of a process (every thread kept stopped, {@link TracedProcess#pauses}) and the
 * interrupts that bring threads to a stop.
 * <p>
 * Threading: tracer thread only. A pause waits by running the event loop ({@link Tracer#runUntil}),
 * never for one tid; while a process is paused no thread of it is resumed except an exiting one
 * (it runs no user code), and stops that are not the pause's are held until the last pause ends.
 */
final class StopAll {

    private final TracerContext cx;

    StopAll(TracerContext cx) {
        this.cx = cx;
    }

    /**
     * A stop of a thread of a paused process. A plain interrupt stop (ours, or one nobody waits
     * to be told of) is the pause's and is taken here; any other stop is held as seen and
     * handled when the pause ends.
     */
    void pausedStop(Task t, int raw) {
        Stop stop = Stop.decode(raw);
        t.regs = null;
        t.interruptOutstanding = false;
        boolean reportWanted = false;
        for (Engine e : t.engines) {
            reportWanted |= e.interruptPending || e.quiescePending;
        }
        boolean interrupt = stop instanceof Stop.Interrupt i && i.signal() == Signal.SIGTRAP && !t.groupStopped;
        // A group stop is the pause's when it is not news: the task was in it already (re-trapped
        // from PTRACE_LISTEN), or nobody is attached to be told (a thread being seized).
        boolean groupStop = stop instanceof Stop.GroupStop && (t.groupStopped || t.engines.length == 0);
        if ((interrupt || groupStop) && !reportWanted && !t.stepping && t.steppedOver == null) {
            t.atStop(); // the pause's own stop: taken here
            if (groupStop) {
                t.groupStopped = true;
                t.stateLabel = "job control stop (" + Signal.name(((Stop.GroupStop) stop).signal()) + ")";
            } else if (t.firstStop()) {
                t.stateLabel = "new thread";
            } else {
                t.stateLabel = "stopped";
            }
            return;
        }
        t.stopQueued(); // held as seen
        t.process.held.add(new int[] {t.tid, raw});
    }

    /** Pauses {@code p}: every thread stopped (or exiting, or gone) when this returns, until {@link #unpause}. */
    void pause(TracedProcess p) {
        p.pauses++;
        stopAndAwait(p);
    }

    /** Interrupts the threads of {@code p} that run and waits, running the event loop, until each is stopped or gone. */
    void stopAndAwait(TracedProcess p) {
        for (Task x : new ArrayList<>(p.tasks.values())) {
            if (!settled(x)) {
                requestStop(x);
            }
        }
        cx.breakpoints.advanceStepOver(p); // a step-over in flight goes on: its task's next status is part of the wait
        if (!cx.tracer.runUntil(() -> allSettled(p))) {
            for (Task x : new ArrayList<>(p.tasks.values())) {
                if (!settled(x)) {
                    cx.forget(x); // nothing is left to report it: it is gone
                    x.toDead();
                }
            }
        }
    }

    /** Ends one pause of {@code p}; after the last, held stops are dispatched and the threads nobody holds resume. */
    void unpause(TracedProcess p) {
        if (p.pauses > 0 && --p.pauses > 0) {
            return;
        }
        int[] h;
        while ((h = p.held.poll()) != null) {
            cx.deferred.add(h);
        }
        for (Task x : new ArrayList<>(p.tasks.values())) {
            cx.resumer.maybeResume(x);
        }
    }

    /** Runs no user code until we resume it: stopped, exiting (past its exit stop) or gone. */
    static boolean settled(Task x) {
        return x.stopped() || x.dead() || x.exiting();
    }

    static boolean allSettled(TracedProcess p) {
        for (Task x : p.tasks.values()) {
            if (!settled(x)) {
                return false;
            }
        }
        return true;
    }

    void requestStop(Task t) {
        if (t.interruptOutstanding || t.dead()) {
            return;
        }
        StepOver so = t.process.stepOver;
        if ((so != null && so.task == t && so.lifted) || (t.stepping && !t.stepWasBlock)) {
            // A single-step in flight: its trap is a stop that comes at once (a blocking syscall
            // under the step excepted), and a stop wanted meanwhile is taken there. An interrupt
            // now could trap after the instruction ran and before the step's SIGTRAP is dequeued:
            // that SIGTRAP would stay queued and reach the program as a signal (after a detach, too).
            return;
        }
        try {
            Ptrace.interrupt(t.tid);
            t.interruptOutstanding = true;
        } catch (NoSuchTaskException gone) {
            t.toExiting();
        }
    }

    /** An engine turned syscall reports on or off: a running task must be resumed in the new mode. */
    void syscallModeChanged(Task t) {
        if (!t.stopped() && !t.dead() && !t.groupStopped) {
            requestStop(t); // its interrupt stop finds no pending report and resumes in the new mode
        }
    }
}
