package dev.multitrace.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The last decisions the service made about one process's threads (seized, born, forgotten, let
 * go, dead), newest last: when a process is found in a state it should not be in (a thread still
 * traced after a detach, an int3 left behind), this says what the service thought happened. Not on
 * the per-stop paths: a thread's birth and end, a detach, a fork child let go.
 * <p>
 * Written by the tracer thread; read by anyone (a copy under the lock).
 */
final class ProcessJournal {

    private static final int SIZE = 96;
    private final String[] lines = new String[SIZE];
    private int next;
    private long count;

    synchronized void add(String what) {
        lines[next] = what;
        next = (next + 1) % SIZE;
        count++;
    }

    synchronized List<String> lines() {
        List<String> out = new ArrayList<>();
        if (count > SIZE) {
            out.add("(" + (count - SIZE) + " earlier entries dropped)");
        }
        for (int i = 0; i < SIZE; i++) {
            String s = lines[(next + i) % SIZE];
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
