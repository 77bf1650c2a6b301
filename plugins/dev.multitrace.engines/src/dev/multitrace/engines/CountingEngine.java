package dev.multitrace.engines;

import java.util.Map;

/**
 * An engine that keeps counters a view can show beside it (the IDE's Engines view, {@code ps}):
 * a name and named counts, readable from any thread while the engine runs.
 */
public interface CountingEngine {

    /** What the engine is, as views name it ("syscall tracer"). */
    String engineName();

    /** The counters now, in display order (e.g. "calls" -> 1234, "signals" -> 2). */
    Map<String, Long> counters();
}
