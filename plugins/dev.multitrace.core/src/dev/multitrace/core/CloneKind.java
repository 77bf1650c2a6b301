package dev.multitrace.core;

/** How a CLONE report's child came to be. */
public enum CloneKind {
    THREAD, FORK, VFORK
}
