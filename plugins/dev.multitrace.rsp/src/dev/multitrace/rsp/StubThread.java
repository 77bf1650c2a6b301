package dev.multitrace.rsp;

import dev.multitrace.core.Engine;
import dev.multitrace.core.Examination;
import dev.multitrace.core.ResumeAction;

/**
 * What the stub knows about one thread of a debugged process: its engine and where it stands
 * between the client and the service.
 * <p>
 * Every mutable field is guarded by the {@link StubTarget}'s monitor: the tracer thread writes
 * them in callbacks, the session's protocol thread reads them and writes them before it resumes
 * the thread. Neither calls an {@link Engine} method while holding the monitor (the tracer
 * thread would need the monitor to finish the call: a deadlock).
 */
final class StubThread {

    final StubProcess process;
    final Engine engine;
    final int tid;

    /** An event the client has not been told about yet. */
    StopEvent pending;
    /** The last event the client was told about: '?' repeats it (for a client that reconnects too). */
    StopEvent lastReported;
    /** The thread exited (or is exiting): no more stops will come. */
    boolean gone;
    /** The signal of the last stop, kept from the program until the client passes it with C/S. */
    int suppressedSignal;
    /** Its siginfo (the kernel's bytes): passed on with it, the program sees the real sender. */
    byte[] suppressedInfo;
    /** Signal to deliver at the INTERRUPT report the stub asked for, and the action after it. */
    int injectSignal;
    /** The siginfo to inject it with; null: the service's (SI_USER from us, as gdbserver's resume gives). */
    byte[] injectInfo;
    ResumeAction afterInject = ResumeAction.RESUME;
    /** The client asked for a step (s, S or vCont r): the STEP report is its event. */
    boolean stepping;
    /** vCont r: keep stepping while the pc is in [rangeStart, rangeEnd). */
    long rangeStart;
    long rangeEnd;
    /** Non-stop: the last stop was reported in a notification and not yet resumed (vCont;t answers at once). */
    boolean reportedStopped;

    /** Protocol thread only: the examination of the current stop, remade when it goes stale. */
    private Examination examination;

    StubThread(StubProcess process, Engine engine, int tid) {
        this.process = process;
        this.engine = engine;
        this.tid = tid;
    }

    /** Our engine holds the task stopped for the client (a callback kept it, or a stop the stub asked for completed). */
    boolean held() {
        return process.target.holds.isHeld(engine);
    }

    /** The stub asked for a stop (control(STOP)) that has not completed yet: its QUIESCE will hold it. */
    boolean stopRequested() {
        return process.target.holds.isStopRequested(engine);
    }

    /** What a callback returns when it has nothing to report: keep the hold (or the stop) the stub asked for. */
    ResumeAction keep() {
        return process.target.holds.keep(engine, ResumeAction.RESUME);
    }

    /** Protocol thread only. @throws IllegalStateException if the engine does not hold the task */
    Examination examine() {
        if (examination == null || !examination.valid()) {
            examination = engine.examine();
        }
        return examination;
    }

    @Override
    public String toString() {
        return "thread " + tid + " of " + process.pid;
    }
}
