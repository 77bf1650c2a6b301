package dev.multitrace.debug.core.model;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the source-level values of one thread showed at its previous stop, so that the Variables and
 * Expressions views can highlight those that changed since (as CDT and JDT do). A value is known by a key
 * naming it across stops (its frame's function and its C expression); only values that were shown are
 * remembered.
 */
final class ValueHistory {

    /** Texts seen at the previous stops (the latest text of each key). */
    private final Map<String, String> previous = new ConcurrentHashMap<>();
    /** Texts seen at this stop. */
    private final Map<String, String> current = new ConcurrentHashMap<>();

    /** Records {@code text} for {@code key} at this stop; whether it differs from the previous stop's. */
    boolean record(String key, String text) {
        current.put(key, text);
        String before = previous.get(key);
        return before != null && !before.equals(text);
    }

    /** The thread runs again: what was seen becomes the previous stop's. */
    void nextStop() {
        previous.putAll(current);
        current.clear();
    }

    /** A value was written by the user at this stop: it now reads as it is, with no highlight for the write. */
    void forget(String key) {
        previous.remove(key);
        current.remove(key);
    }
}
