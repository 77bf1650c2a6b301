package dev.multitrace.cli.faults;

import dev.multitrace.core.CloneKind;
import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;
import dev.multitrace.core.Tracing;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One engine role of an iteration (breakpoints, steps, syscalls, stop-all, or the launcher): it
 * follows every new thread with an engine of its own and writes down the end of each engine's
 * life (EXEC, DEATH, REAP), so the campaign can tell whether every engine got its report.
 */
class Witness implements EngineOps {

    static final Set<Event> LIFE = EnumSet.of(Event.CLONE, Event.EXEC, Event.DEATH, Event.REAP);

    final Tracing tracing;
    final String role;
    final Set<Event> mask;
    /** Every engine of the iteration (all roles) to what it was told of its end. */
    final Map<Engine, List<String>> lives;
    /** The former tid an EXEC report named (the thread that exec'd), or -1. */
    final int[] execFormer;

    Witness(Tracing tracing, String role, Set<Event> extra, Map<Engine, List<String>> lives, int[] execFormer) {
        this.tracing = tracing;
        this.role = role;
        EnumSet<Event> m = EnumSet.copyOf(LIFE);
        m.addAll(extra);
        this.mask = m;
        this.lives = lives;
        this.execFormer = execFormer;
    }

    static Map<Engine, List<String>> newLives() {
        return new ConcurrentHashMap<>();
    }

    Engine track(Engine e) {
        lives.putIfAbsent(e, new CopyOnWriteArrayList<>());
        return e;
    }

    private void log(Engine e, String what) {
        lives.computeIfAbsent(e, k -> new CopyOnWriteArrayList<>()).add(what);
    }

    @Override
    public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
        if (kind == CloneKind.THREAD) {
            track(tracing.attach(child, this, role, mask));
        }
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction exec(Engine engine, Task task, int formerTid) {
        log(engine, "EXEC");
        execFormer[0] = formerTid;
        return ResumeAction.RESUME;
    }

    @Override
    public ResumeAction death(Engine engine, Task task, ExitStatus status) {
        log(engine, "DEATH");
        return ResumeAction.RESUME;
    }

    @Override
    public void reap(Engine engine, Task task) {
        log(engine, "REAP");
    }

    /** The main thread's stepper: steps again at every stop, a few thousand steps (then the program runs on). */
    static final class Stepper extends Witness {
        private static final int STEPS = 3000;
        private int steps;

        Stepper(Tracing tracing, Map<Engine, List<String>> lives, int[] execFormer) {
            super(tracing, "steps", EnumSet.of(Event.STEP, Event.QUIESCE), lives, execFormer);
        }

        @Override
        public ResumeAction clone(Engine engine, Task parent, Task child, CloneKind kind) {
            return ResumeAction.RESUME; // the main thread only
        }

        /** At every stop of its thread, whatever else is reported there: stepping goes on. */
        @Override
        public ResumeAction quiesce(Engine engine, Task task, Event event) {
            return again();
        }

        @Override
        public ResumeAction step(Engine engine, Task task) {
            return again();
        }

        private ResumeAction again() {
            return ++steps < STEPS ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
        }
    }
}
