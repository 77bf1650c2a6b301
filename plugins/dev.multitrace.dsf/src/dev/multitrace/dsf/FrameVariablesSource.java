package dev.multitrace.dsf;

import dev.multitrace.session.FrameVariables;

import org.eclipse.cdt.dsf.concurrent.RequestMonitor;

/**
 * Where a stack service finds the source-level data of a thread's frame: the live session's held stop
 * ({@link MultitraceStack}) or a core ({@link CoreStack}). The expressions service evaluates through it, so the
 * Variables and Expressions views work the same on both. On the session's executor.
 */
public interface FrameVariablesSource {

    /** The data of frame {@code level} (0: innermost) of thread {@code t}, or null with {@code rm} failed. */
    FrameVariables variables(ThreadContext t, int level, RequestMonitor rm);
}
