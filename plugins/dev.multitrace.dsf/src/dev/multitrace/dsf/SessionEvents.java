package dev.multitrace.dsf;

import dev.multitrace.core.ExitStatus;
import dev.multitrace.session.StepKind;
import dev.multitrace.session.StopReason;

/**
 * What the headless session tells, turned into DSF events: dispatched on the session's executor by
 * {@link DebugSessionService}, handled by the services (run control first of all), which then dispatch
 * the DSF interfaces' own events. The services' model clients see only those.
 */
public final class SessionEvents {

    private SessionEvents() {
    }

    /** The debugger holds the thread now. */
    public record ThreadStopped(ThreadContext thread, StopReason reason) {
    }

    /** The debugger let the thread go ({@code step}: for a step, else null). */
    public record ThreadResumed(ThreadContext thread, StepKind step) {
    }

    /** A thread appeared. */
    public record ThreadStarted(ThreadContext thread) {
    }

    /** A thread is gone. */
    public record ThreadExited(ThreadContext thread) {
    }

    /** A new debug session started on the process (launch or attach). */
    public record ProcessStarted(ProcessContext process) {
    }

    /**
     * A fork child of {@code parent} that the session follows joined this DSF session as a process of its own, with
     * its threads (held, their stop reported next).
     */
    public record ProcessForked(ProcessContext child, ProcessContext parent, java.util.List<ThreadContext> threads) {
    }

    /** The process exited ({@code status}) or was detached from ({@code status == null}). */
    public record ProcessEnded(ProcessContext process, ExitStatus status) {
    }

    /** The dynamic linker's list changed, or the process exec'd: addresses may have moved. */
    public record ModulesChanged(ProcessContext process) {
    }
}
