package dev.multitrace.session;

import dev.multitrace.core.ExitStatus;

/**
 * What a {@link DebugSession} tells its front end. Called on the service's tracer thread (or on the
 * thread that made a request): implementations must not block, and must not wait for the UI thread.
 */
public interface SessionListener {

    /** A thread appeared (at attach, launch, or when the program created it). */
    default void threadAdded(int tid) {
    }

    /** The debugger holds the thread stopped now, for {@code reason}. */
    default void threadStopped(int tid, StopReason reason) {
    }

    /** The debugger let the thread go ({@code step}: as part of a step). Another engine may still hold it. */
    default void threadResumed(int tid, StepKind step) {
    }

    /** The thread is gone. */
    default void threadRemoved(int tid) {
    }

    /** Engines were attached to or detached from the thread, or one of them took or released a hold. */
    default void enginesChanged(int tid) {
    }

    /** A signal arrived that the session's settings say to tell the user about. */
    default void signalReceived(int tid, int signal, boolean stopped) {
    }

    /** The dynamic linker loaded or unloaded libraries; the session's symbols and pending breakpoints are updated. */
    default void librariesChanged() {
    }

    /** The process exec'd a new image; the session has reloaded its symbols and re-planted its breakpoints. */
    default void imageReplaced() {
    }

    /**
     * The process forked and the session follows its children ({@link DebugSession#setFollowForks}): {@code child}
     * debugs the new process, whose thread it holds (its stop is reported to the child's listeners, so add them
     * here). Tracer thread: must not block.
     */
    default void processForked(DebugSession child) {
    }

    /** The process is gone (exit status), or the session detached from it ({@code status == null}). */
    default void sessionEnded(ExitStatus status) {
    }
}
