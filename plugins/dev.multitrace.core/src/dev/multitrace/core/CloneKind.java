package dev.multitrace.core;

/** How a CLONE report's child came to be. */
public enum CloneKind {
    /** A thread of the parent's process (clone with CLONE_THREAD). */
    THREAD,
    /** A new process with a copy of the parent's memory: fork(), or clone() without CLONE_THREAD and CLONE_VM. */
    FORK,
    /** vfork(): a new process sharing the parent's memory, the parent suspended until it execs or exits (VFORK_DONE). */
    VFORK,
    /**
     * clone() with CLONE_VM but without CLONE_THREAD: a process of its own (its own thread group,
     * waited for by its parent with __WCLONE/__WALL) sharing the parent's memory, int3 bytes
     * included, while the parent runs on.
     */
    PROCESS_SHARED_VM
}
