package dev.multitrace.session;

import dev.multitrace.core.Event;
import dev.multitrace.core.ResumeAction;

import java.util.Set;

/**
 * One engine attached to one thread, as the Engines view shows it (a snapshot).
 *
 * @param tid        the thread
 * @param name       the engine's name ({@code debugger}, {@code syscall tracer}, {@code gdb stub :1234}...)
 * @param events     its event mask
 * @param holdsStop  it holds the thread stopped now
 * @param lastAction the last resume action it chose (null: none yet)
 * @param callbacks  how many of its callbacks have run
 * @param debugger   it is this session's debugger engine
 */
public record EngineInfo(int tid, String name, Set<Event> events, boolean holdsStop, ResumeAction lastAction,
        long callbacks, boolean debugger) {

    public EngineInfo {
        events = Set.copyOf(events);
    }

    /** The event mask as text, e.g. {@code BREAKPOINT, STEP, SIGNAL}. */
    public String eventsText() {
        return events.stream().map(Enum::name).sorted().reduce((a, b) -> a + ", " + b).orElse("(none)");
    }
}
