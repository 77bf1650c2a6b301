package dev.multitrace.rsp;

/**
 * Why a thread stopped, as the client will be told: a signal (gdb's number is the Linux one on
 * x86-64 Linux for the signals a program can get), and what trapped it: a software breakpoint,
 * a finished step, a hardware breakpoint or a watchpoint.
 *
 * @param address the watched address (WATCH, AWATCH); for FORK, VFORK and VFORK_DONE the child's pid
 * @param seq order of arrival, so that the oldest event is reported first
 */
record StopEvent(Kind kind, int signal, long address, long seq) {

    enum Kind {
        /** Stopped because the client asked (interrupt, stop-all): reported as SIGINT or signal 0. */
        REQUESTED,
        SIGNAL,
        SWBREAK,
        HWBREAK,
        /** A write watchpoint fired (watch:ADDR). */
        WATCH,
        /** A read/write watchpoint fired (awatch:ADDR). */
        AWATCH,
        STEP,
        /** The thread forked (fork-events): the child, held, is a new process of the stub. */
        FORK,
        /** The thread vforked (vfork-events): the child, held, is a new process of the stub sharing its memory. */
        VFORK,
        /** The thread's vfork child exec'd or exited: its memory is its own again (vfork-events). */
        VFORK_DONE,
        /** The thread exec'd a new program (exec-events). */
        EXEC,
        /** A new thread, reported in itself (QThreadEvents). */
        CREATE
    }

    static final int SIGINT = 2;
    static final int SIGTRAP = 5;
}
