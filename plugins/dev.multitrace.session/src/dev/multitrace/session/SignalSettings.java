package dev.multitrace.session;

import dev.multitrace.core.Signals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the debugger does with each signal of one session, as gdb's {@code handle} command:
 * pass it to the program, stop the thread, tell the user. Defaults follow gdb: the signals
 * programs use for routine work (SIGALRM, SIGCHLD, SIGWINCH, SIGURG, SIGIO, SIGVTALRM, SIGPROF)
 * pass silently; every other signal stops and is passed on resume.
 * <p>
 * Thread-safe: the tracer thread reads it in signal callbacks while the UI changes it.
 */
public final class SignalSettings {

    /** One signal's settings ({@code print}: tell the user; {@code notify} cannot name a record component). */
    public record Setting(int signal, String name, boolean pass, boolean stop, boolean print) {
    }

    private static final Set<String> QUIET = Set.of("SIGALRM", "SIGCHLD", "SIGWINCH", "SIGURG", "SIGIO", "SIGVTALRM",
            "SIGPROF");

    private final boolean[] pass = new boolean[Signals.MAX + 1];
    private final boolean[] stop = new boolean[Signals.MAX + 1];
    private final boolean[] print = new boolean[Signals.MAX + 1];

    public SignalSettings() {
        for (int s = 1; s <= Signals.MAX; s++) {
            boolean quiet = QUIET.contains(Signals.name(s));
            pass[s] = true;
            stop[s] = !quiet;
            print[s] = !quiet;
        }
    }

    public synchronized Setting get(int signal) {
        check(signal);
        return new Setting(signal, Signals.name(signal), pass[signal], stop[signal], print[signal]);
    }

    /** Every signal 1..SIGRTMAX, for the Signals view. */
    public synchronized List<Setting> all() {
        List<Setting> out = new ArrayList<>();
        for (int s = 1; s <= Signals.MAX; s++) {
            out.add(get(s));
        }
        return out;
    }

    /** Takes every signal's settings from {@code other} (a followed fork child's session, from its parent's). */
    public void copyFrom(SignalSettings other) {
        for (Setting x : other.all()) {
            set(x.signal(), x.pass(), x.stop(), x.print());
        }
    }

    /** Changes one signal; {@code stop} implies {@code print} (as in gdb). */
    public synchronized void set(int signal, boolean pass, boolean stop, boolean print) {
        check(signal);
        this.pass[signal] = pass;
        this.stop[signal] = stop;
        this.print[signal] = print || stop;
    }

    private static void check(int signal) {
        if (signal < 1 || signal > Signals.MAX) {
            throw new IllegalArgumentException("no signal " + signal + " (signals are 1.." + Signals.MAX + ")");
        }
    }
}
