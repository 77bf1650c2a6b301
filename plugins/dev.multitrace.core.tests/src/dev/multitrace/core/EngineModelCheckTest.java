package dev.multitrace.core;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The engine model checked without a kernel: the service's decisions ({@link Arbiter}) and the
 * engines' bookkeeping ({@link Engine}, {@link Task}) driven through every interleaving of small
 * scenarios, with the invariants of {@code shared/docs/engine-model.md} checked after every step.
 * <p>
 * A scenario is a few engines, each with a script of calls it makes from its own thread
 * ({@code control}, {@code setEvents}, {@code detach}), and the kernel's events (an exec, a
 * clone, SIGKILL; interrupt stops and step traps where the service asked for them). Every step
 * is atomic, as the tracer thread sees it: an engine's call runs between two stops, a stop's
 * reporting pass runs whole. At every callback the engine answers with its natural action (keep
 * its STOP, else RESUME) or, a budgeted number of times, with any other (STOP, REPORT, INTERRUPT,
 * SINGLESTEP, DETACH). A depth-first search replays every sequence of choices: the number of
 * complete interleavings and of distinct states is printed and asserted.
 * <p>
 * The kernel here is a model: a resume is what {@link Arbiter#request} chooses, a stop comes when
 * the search lets it. What runs for real is the arbiter and the engine bookkeeping the tracer
 * uses: {@link Arbiter#vote}, {@link Arbiter#decide}, {@link Arbiter#control},
 * {@link Arbiter#requested}, {@link Arbiter#quiesceFirst}, {@link Arbiter#mayCall},
 * {@link Arbiter#release}.
 */
class EngineModelCheckTest {

    private static final int PID = 4242;
    private static final int MAX_STEPS = 300;

    /** A call an engine makes from its own thread, between two steps of the tracer thread. */
    sealed interface Call permits Control, SetEvents, Detach {
    }

    record Control(ResumeAction action) implements Call {
    }

    record SetEvents(Set<Event> events) implements Call {
    }

    record Detach() implements Call {
    }

    /** What the kernel may do to the task, once each. */
    enum Kernel {
        EXEC, CLONE, SIGKILL
    }

    record EngineSpec(String name, Set<Event> events, List<Call> script) {
    }

    /** @param replyBudget how many answers other than the natural one a path may take, all engines together */
    record Scenario(String name, List<EngineSpec> engines, Set<Kernel> kernel, int replyBudget) {
    }

    /** The choices of one path: a prefix replayed, then the first choice at every new branch. */
    private static final class Oracle {
        final int[] prefix;
        final List<int[]> taken = new ArrayList<>();

        Oracle(int[] prefix) {
            this.prefix = prefix;
        }

        int choose(int n) {
            int pos = taken.size();
            int v = pos < prefix.length ? prefix[pos] : 0;
            taken.add(new int[] {v, n});
            return v;
        }

        /** The next path in depth-first order, or null when every one has been taken. */
        int[] next() {
            int k = taken.size() - 1;
            while (k >= 0 && taken.get(k)[0] + 1 >= taken.get(k)[1]) {
                k--;
            }
            if (k < 0) {
                return null;
            }
            int[] p = new int[k + 1];
            for (int i = 0; i < k; i++) {
                p[i] = taken.get(i)[0];
            }
            p[k] = taken.get(k)[0] + 1;
            return p;
        }
    }

    record Counts(long interleavings, int states, long steps) {
    }

    static Counts explore(Scenario sc) {
        Set<String> states = new HashSet<>();
        long paths = 0;
        long steps = 0;
        int[] prefix = {};
        while (prefix != null) {
            Oracle o = new Oracle(prefix);
            World w = new World(sc, o);
            try {
                steps += w.run(states);
            } catch (AssertionError e) {
                throw new AssertionError(sc.name() + ": " + e.getMessage() + "\n  path: " + w.log, e);
            }
            paths++;
            prefix = o.next();
        }
        return new Counts(paths, states.size(), steps);
    }

    /** One path's world: a task, its engines and the ledgers the invariants are checked against. */
    private static final class World {
        final Scenario sc;
        final Oracle o;
        final Task t;
        final Engine[] es;
        final int[] pc;
        int budget;
        final EnumSet<Kernel> kernel = EnumSet.noneOf(Kernel.class);
        final List<String> log = new ArrayList<>();
        /** Engines whose detach, begun from their own thread during a pass, waits for the tracer thread. */
        final List<Engine> posted = new ArrayList<>();
        /** How many calls may still come from other threads in the middle of a pass. */
        int concurrentBudget = 1;
        /** Still traced: false once the last engine detached and the task was let go. */
        boolean traced = true;
        // Ledgers, kept from what the engines were told and answered, not from the tracer's fields.
        final boolean[] detachReturned;
        /** Events whose setEvents(off) has returned OK: never reported again. */
        final long[] disabled;
        /** A QUIESCE (STOP, REPORT) or SIGNAL (INTERRUPT) report this engine was promised. */
        final boolean[] owedQuiesce;
        final boolean[] owedSignal;
        /** Its STOP is in force (answered at a stop, or control(STOP) completed). */
        final boolean[] holds;
        /** It asked for a step that has not been reported yet. */
        final boolean[] stepAsked;
        final boolean[] reaped;
        /** The engines whose step the task is taking, or whose step trap is being reported. */
        Engine[] inFlight = Task.NO_ENGINES;
        /** The votes of the pass running now (null: not called in it). */
        ResumeAction[] passVotes;

        World(Scenario sc, Oracle o) {
            this.sc = sc;
            this.o = o;
            int n = sc.engines().size();
            t = new Task(PID, new TracedProcess(PID, false, false));
            es = new Engine[n];
            pc = new int[n];
            budget = sc.replyBudget();
            detachReturned = new boolean[n];
            disabled = new long[n];
            owedQuiesce = new boolean[n];
            owedSignal = new boolean[n];
            holds = new boolean[n];
            stepAsked = new boolean[n];
            reaped = new boolean[n];
            kernel.addAll(sc.kernel());
            for (int i = 0; i < n; i++) {
                EngineSpec spec = sc.engines().get(i);
                es[i] = new Engine(null, t, new EngineOps() {
                }, spec.name(), Event.mask(spec.events()));
                t.add(es[i]);
            }
        }

        long run(Set<String> states) {
            long steps = 0;
            while (true) {
                List<Runnable> ops = enabled();
                if (ops.isEmpty()) {
                    atEnd();
                    return steps;
                }
                ops.get(o.choose(ops.size())).run();
                steps++;
                if (steps > MAX_STEPS) {
                    fail("no end after " + MAX_STEPS + " steps");
                }
                check();
                states.add(key());
            }
        }

        List<Runnable> enabled() {
            List<Runnable> ops = new ArrayList<>();
            for (int i = 0; i < es.length; i++) {
                List<Call> script = sc.engines().get(i).script();
                if (pc[i] < script.size() && !detachReturned[i] && !posted.contains(es[i])) {
                    int engine = i;
                    ops.add(() -> call(engine, script.get(pc[engine]++)));
                }
            }
            if (!posted.isEmpty()) {
                ops.add(this::serveRequest);
            }
            if (traced && !t.dead()) {
                if (!t.stopped()) {
                    if (t.stepping) {
                        ops.add(this::stepTrap);
                    } else {
                        if (t.interruptOutstanding) {
                            ops.add(this::interruptStop);
                        }
                        if (kernel.contains(Kernel.EXEC)) {
                            ops.add(() -> eventStop(Kernel.EXEC, Event.EXEC));
                        }
                        if (kernel.contains(Kernel.CLONE)) {
                            ops.add(() -> eventStop(Kernel.CLONE, Event.CLONE));
                        }
                    }
                }
                if (kernel.contains(Kernel.SIGKILL)) {
                    ops.add(this::sigkill);
                }
            }
            return ops;
        }

        int index(Engine e) {
            for (int i = 0; i < es.length; i++) {
                if (es[i] == e) {
                    return i;
                }
            }
            throw new IllegalStateException();
        }

        // ---------------------------------------------------------- the engines' calls

        void call(int i, Call c) {
            Engine e = es[i];
            log.add(e.data + "." + c);
            switch (c) {
                case Control(ResumeAction action) -> control(i, e, action);
                case SetEvents(Set<Event> events) -> {
                    // Engine.setEvents, from outside any callback of it (so never IN_PROGRESS).
                    if (!e.detached) {
                        long old = e.mask;
                        e.mask = Event.mask(events);
                        disabled[i] = (disabled[i] | (old & ~e.mask)) & ~e.mask;
                    }
                }
                case Detach() -> {
                    // Engine.detach, from outside any callback of it: the tracer lets go of it at once.
                    if (!e.detached) {
                        e.detached = true;
                        engineDetached(e);
                    }
                    detachReturned[i] = true;
                    forgetLedgers(i);
                }
            }
        }

        void control(int i, Engine e, ResumeAction action) {
            boolean wasDead = t.dead();
            Arbiter.Control c = Arbiter.control(e, action);
            if (c.quiesceNow()) {
                vote(e, invoke(e, Event.QUIESCE), false);
            }
            if (c.interruptReportNow()) {
                interruptReport();
            }
            if (c.requestStop()) {
                requestStop();
            }
            if (c.resume()) {
                maybeResume();
            }
            Result r = c.result();
            log.add("  -> " + r);
            if (wasDead && !e.detached && r != Result.NO_SUCH_TASK) {
                fail("control on a dead task answered " + r);
            }
            if (r != Result.OK && r != Result.IN_PROGRESS) {
                return;
            }
            switch (action) {
                case STOP -> {
                    // Completed at once; where it was reported, the engine's answer to that report stands.
                    holds[i] |= r == Result.OK && !c.quiesceNow();
                    owedQuiesce[i] |= r == Result.IN_PROGRESS;
                }
                case REPORT -> owedQuiesce[i] |= r == Result.IN_PROGRESS;
                case INTERRUPT -> owedSignal[i] |= r == Result.IN_PROGRESS && e.wants(Event.SIGNAL);
                case SINGLESTEP, BLOCKSTEP -> {
                    holds[i] = false;
                    stepAsked[i] = true;
                }
                default -> holds[i] = false;
            }
        }

        /**
         * In a pass, before an engine is called: another engine's thread may call setEvents (it
         * takes effect at once) or detach (the flag is set at once; the rest waits for the tracer
         * thread, which is in the pass: Engine.detach's tracer.call returns after the pass).
         */
        void concurrentCall() {
            if (concurrentBudget == 0 || !t.inPass()) {
                return;
            }
            List<Integer> callers = new ArrayList<>();
            for (int j = 0; j < es.length; j++) {
                List<Call> script = sc.engines().get(j).script();
                if (pc[j] < script.size() && !detachReturned[j] && !posted.contains(es[j]) && !es[j].inCallback
                        && !(script.get(pc[j]) instanceof Control)) {
                    callers.add(j);
                }
            }
            int k = o.choose(callers.size() + 1);
            if (k == 0) {
                return;
            }
            concurrentBudget--;
            int j = callers.get(k - 1);
            Call c = sc.engines().get(j).script().get(pc[j]++);
            log.add("  meanwhile " + es[j].data + "." + c);
            if (c instanceof Detach && !es[j].detached) {
                es[j].detached = true;
                posted.add(es[j]);
            } else if (c instanceof Detach) {
                detachReturned[j] = true;
                forgetLedgers(j);
            } else {
                call(j, c);
            }
        }

        /** The tracer thread's loop runs a queued request: a detach begun during a pass ends. */
        void serveRequest() {
            Engine e = posted.remove(0);
            log.add("tracer serves " + e.data + ".detach");
            if (t.engines.length > 0 && List.of(t.engines).contains(e)) {
                engineDetached(e);
            }
            int i = index(e);
            detachReturned[i] = true;
            forgetLedgers(i);
        }

        void forgetLedgers(int i) {
            holds[i] = false;
            owedQuiesce[i] = false;
            owedSignal[i] = false;
            stepAsked[i] = false;
        }

        // ---------------------------------------------------------- the tracer thread, kernel-free

        /** Tracer.engineDetached, without breakpoints: the last engine lets go of the task. */
        void engineDetached(Engine e) {
            Arbiter.release(e);
            t.remove(e);
            if (t.dead()) {
                return;
            }
            if (t.engines.length > 0) {
                if (t.stopped() && !t.inPass()) {
                    maybeResume();
                }
                return;
            }
            // detachProcess: a stepping task's trap is taken as ours, then PTRACE_DETACH, no signal.
            log.add("  kernel detach");
            t.stepping = false;
            t.interruptOutstanding = false;
            t.leftStop();
            traced = false;
        }

        ResumeAction invoke(Engine e, Event ev) {
            int i = index(e);
            concurrentCall();
            e.inCallback = true;
            try {
                if (!Arbiter.mayCall(e, ev)) {
                    return null;
                }
                if (e.detached) {
                    fail(ev + " to " + e.data + " after its detach began");
                }
                log.add("  " + ev + " to " + e.data);
                if (detachReturned[i]) {
                    fail(ev + " to " + e.data + " after its detach returned");
                }
                if (ev != Event.QUIESCE && ev != Event.STEP && (disabled[i] & ev.bit) != 0) {
                    fail(ev + " to " + e.data + " after setEvents turned it off");
                }
                if (reaped[i]) {
                    fail(ev + " to " + e.data + " after its REAP");
                }
                switch (ev) {
                    case QUIESCE -> owedQuiesce[i] = false;
                    case SIGNAL -> owedSignal[i] = false;
                    case STEP -> {
                        if (!stepAsked[i]) {
                            fail("STEP to " + e.data + ", which asked for no step");
                        }
                        stepAsked[i] = false;
                    }
                    case REAP -> {
                        reaped[i] = true;
                        return ResumeAction.RESUME;
                    }
                    default -> {
                    }
                }
                ResumeAction natural = e.holdsStop ? ResumeAction.STOP : ResumeAction.RESUME;
                List<ResumeAction> answers = new ArrayList<>(List.of(natural));
                if (budget > 0) {
                    for (ResumeAction a : List.of(ResumeAction.STOP, ResumeAction.REPORT, ResumeAction.INTERRUPT,
                            ResumeAction.SINGLESTEP, ResumeAction.DETACH)) {
                        if (a != natural) {
                            answers.add(a);
                        }
                    }
                }
                int k = o.choose(answers.size());
                if (k > 0) {
                    budget--;
                }
                ResumeAction a = answers.get(k);
                log.add("    " + e.data + " answers " + a);
                return a;
            } finally {
                e.inCallback = false;
            }
        }

        /** Tracer.vote, with the ledgers: the answer is the engine's vote. */
        void vote(Engine e, ResumeAction a, boolean inSignalReport) {
            if (a == null || e.detached) {
                return;
            }
            int i = index(e);
            boolean detach = Arbiter.vote(e, a, inSignalReport);
            // Inside a signal report REPORT and INTERRUPT count as RESUME (no report loops).
            ResumeAction taken = inSignalReport && (a == ResumeAction.REPORT || a == ResumeAction.INTERRUPT)
                    ? ResumeAction.RESUME : a;
            if (passVotes != null) {
                passVotes[i] = taken == ResumeAction.DETACH ? ResumeAction.RESUME : taken;
            }
            holds[i] = taken == ResumeAction.STOP;
            // A step already taken is reported whatever the engine answers meanwhile.
            stepAsked[i] = taken.isStep() || List.of(inFlight).contains(e);
            owedQuiesce[i] |= taken == ResumeAction.REPORT;
            owedSignal[i] |= taken == ResumeAction.INTERRUPT && e.wants(Event.SIGNAL);
            if (detach) {
                forgetLedgers(i);
                engineDetached(e);
            }
        }

        void beginPass(Event ev) {
            t.passBegins();
            passVotes = new ResumeAction[es.length];
            for (Engine e : t.engines) {
                if (Arbiter.quiesceFirst(e)) {
                    vote(e, invoke(e, Event.QUIESCE), false);
                }
            }
        }

        void endPass() {
            ResumeAction[] votes = passVotes;
            passVotes = null;
            t.passEnds();
            maybeResume();
            checkStrongestWon(votes);
        }

        /** A stop of the running task: the tracer's handle(). */
        void stopped() {
            t.atStop();
            t.interruptOutstanding = false; // any stop consumes a pending PTRACE_INTERRUPT
            t.stepping = false;
        }

        void eventStop(Kernel k, Event ev) {
            log.add("kernel " + k);
            kernel.remove(k);
            stopped();
            beginPass(ev);
            for (Engine e : t.engines) {
                if (!e.detached && e.wants(ev)) {
                    vote(e, invoke(e, ev), false);
                }
            }
            endPass();
        }

        void interruptStop() {
            log.add("kernel interrupt stop");
            stopped();
            requestedStop();
        }

        void requestedStop() {
            switch (Arbiter.requested(t)) {
                case INTERRUPT_REPORT -> interruptReport();
                case QUIESCE_REPORT -> {
                    beginPass(Event.QUIESCE);
                    endPass();
                }
                case NONE -> maybeResume();
            }
        }

        void interruptReport() {
            beginPass(Event.SIGNAL);
            for (Engine e : t.engines) {
                e.interruptPending = false;
            }
            for (int k = 0; k < passVotes.length; k++) {
                if (passVotes[k] == ResumeAction.INTERRUPT) {
                    passVotes[k] = ResumeAction.RESUME; // asked at this stop's QUIESCE: this is its signal report
                }
            }
            for (Engine e : t.engines) {
                if (!e.detached && e.wants(Event.SIGNAL)) {
                    vote(e, invoke(e, Event.SIGNAL), true);
                }
            }
            endPass();
        }

        void stepTrap() {
            log.add("kernel step trap");
            stopped();
            Engine[] steppers = t.steppers;
            t.steppers = Task.NO_ENGINES;
            inFlight = steppers;
            beginPass(Event.STEP);
            for (Engine e : steppers) {
                if (!e.detached && e.wants(Event.STEP)) {
                    vote(e, invoke(e, Event.STEP), false);
                } else {
                    stepAsked[index(e)] = false; // detached, or no STEP in its mask: nobody is told
                }
            }
            inFlight = Task.NO_ENGINES;
            endPass();
        }

        void sigkill() {
            log.add("kernel SIGKILL");
            kernel.clear();
            // Tracer.died: DEATH then REAP, holds or not; then every engine is done.
            t.toDead();
            t.leftStop();
            boolean[] reapDue = new boolean[es.length];
            for (Engine e : t.engines) {
                reapDue[index(e)] = !e.detached && e.wants(Event.REAP);
                if (!e.detached && e.wants(Event.DEATH) && invoke(e, Event.DEATH) == ResumeAction.DETACH) {
                    e.detached = true; // an engine that detaches in DEATH gets no REAP
                    reapDue[index(e)] = false;
                }
            }
            for (Engine e : t.engines) {
                if (!e.detached && e.wants(Event.REAP)) {
                    invoke(e, Event.REAP);
                }
            }
            for (Engine e : t.engines) {
                e.detached = true;
                e.holdsStop = false;
            }
            for (int i = 0; i < es.length; i++) {
                forgetLedgers(i);
                if (reapDue[i] && !reaped[i]) {
                    fail(es[i].data + " was killed holding or not, yet got no REAP");
                }
            }
        }

        /** Tracer.maybeResume: ask the arbiter, apply the plan to the modelled kernel. */
        void maybeResume() {
            if (t.process.pauses < 0) {
                throw new IllegalStateException();
            }
            if (!(Arbiter.decide(t, false) instanceof Arbiter.Go go)) {
                return;
            }
            Arbiter.consume(go);
            t.steppers = go.steppers();
            Arbiter.Request r = Arbiter.request(go.steppers().length, go.allBlock(), t.groupStopped, t.wantsSyscalls());
            log.add("  resume " + r + (go.wantStop() ? " + interrupt" : ""));
            t.resumed();
            t.stepping = r == Arbiter.Request.SINGLESTEP || r == Arbiter.Request.SINGLEBLOCK;
            inFlight = go.steppers();
            if (go.wantStop() && !t.interruptOutstanding && !t.stepping) {
                t.interruptOutstanding = true; // requestStop: a step's trap is a stop that comes at once
            }
        }

        void requestStop() {
            if (!t.interruptOutstanding && !t.dead() && !t.stepping && traced) {
                t.interruptOutstanding = true;
            }
        }

        // ---------------------------------------------------------- invariants

        boolean anyHolder() {
            for (Engine e : t.engines) {
                if (e.holdsStop && !e.detached) {
                    return true;
                }
            }
            return false;
        }

        /** After every step. */
        void check() {
            if (t.inPass()) {
                fail("a pass left open");
            }
            if (t.dead()) {
                return;
            }
            for (int i = 0; i < es.length; i++) {
                // A STOP stays until its engine resumes (or detaches); another engine's resume never releases it.
                if (holds[i] && !es[i].detached && !t.stopped()) {
                    fail(es[i].data + " holds a STOP but the task runs");
                }
            }
            if (traced) {
                for (Engine e : t.engines) {
                    // A STOP asked of a running task is in force from its QUIESCE report on.
                    if (!t.stopped() && e.holdsStop && !e.quiescePending && !e.detached) {
                        fail("running while " + e.data + " holds it");
                    }
                }
                if (t.stopped() && !anyHolder()) {
                    fail("stopped with no engine holding it (a stop that nobody will end)");
                }
            }
            // Nothing left stopped or trapped after the last engine detaches.
            if (t.engines.length == 0 && (traced || t.stopped() || t.stepping)) {
                fail("no engine left, yet the task is still traced, stopped or stepping");
            }
        }

        /** After a pass: the strongest answer of the engines called decided the resume. */
        void checkStrongestWon(ResumeAction[] votes) {
            if (t.dead() || !traced) {
                return;
            }
            ResumeAction strongest = null;
            for (int k = 0; k < votes.length; k++) {
                ResumeAction v = votes[k];
                if (v != null && !es[k].detached) { // a detach begun in the pass takes its vote back
                    strongest = strongest == null ? v : ResumeAction.strongest(strongest, v);
                }
            }
            if (strongest == null) {
                return;
            }
            switch (strongest) {
                case STOP -> {
                    if (!t.stopped()) {
                        fail("an engine answered STOP, yet the task runs");
                    }
                }
                case INTERRUPT, REPORT -> {
                    if (!t.stopped() && !t.interruptOutstanding && !t.stepping) {
                        fail("an engine asked for a report, yet the task runs with no stop coming");
                    }
                }
                case SINGLESTEP, BLOCKSTEP -> {
                    if (!t.stopped() && !t.stepping) {
                        fail("an engine asked for a step, yet the task runs without stepping");
                    }
                }
                default -> {
                }
            }
        }

        /**
         * At the end of a path: no stop lost, every step reported. While an engine still holds
         * the task (it answered STOP and never resumed), what others asked waits for its resume.
         */
        void atEnd() {
            if (t.dead() || !traced || anyHolder()) {
                return;
            }
            for (int i = 0; i < es.length; i++) {
                if (es[i].detached) {
                    continue;
                }
                if (owedQuiesce[i] || owedSignal[i]) {
                    fail(es[i].data + " was promised a report that never came");
                }
                if (stepAsked[i] && (es[i].mask & Event.STEP.bit) != 0) {
                    fail(es[i].data + " asked for a step that was never reported");
                }
            }
        }

        String key() {
            StringBuilder b = new StringBuilder();
            b.append(t.stopped() ? 'S' : 'R').append(t.stepping ? 's' : '-').append(t.interruptOutstanding ? 'i' : '-')
                    .append(t.dead() ? 'D' : '-').append(traced ? 'T' : '-').append(kernel).append(budget);
            for (int i = 0; i < es.length; i++) {
                Engine e = es[i];
                b.append('|').append(pc[i]).append(e.detached ? 'd' : '-').append(e.holdsStop ? 'h' : '-')
                        .append(e.quiescePending ? 'q' : '-').append(e.interruptPending ? 'i' : '-')
                        .append(e.stepRequest == null ? '-' : 's').append(e.mask)
                        .append(owedQuiesce[i] ? 'Q' : '-').append(owedSignal[i] ? 'I' : '-')
                        .append(stepAsked[i] ? 'A' : '-').append(reaped[i] ? 'r' : '-');
            }
            return b.toString();
        }
    }

    // ------------------------------------------------------------------ scenarios

    private static final Set<Event> ALL = EnumSet.of(Event.QUIESCE, Event.EXEC, Event.CLONE, Event.SIGNAL,
            Event.STEP, Event.DEATH, Event.REAP);

    private static Counts checked(Scenario sc, long minInterleavings) {
        Counts c = explore(sc);
        System.out.printf("engine model, %s: %,d interleavings, %,d distinct states, %,d steps%n",
                sc.name(), c.interleavings(), c.states(), c.steps());
        assertTrue(c.interleavings() >= minInterleavings, sc.name() + ": only " + c.interleavings() + " interleavings");
        return c;
    }

    @Test
    void twoEnginesStopStepReportSetEventsDetachAroundExecCloneAndSigkill() {
        checked(new Scenario("two engines, exec, clone, SIGKILL",
                List.of(new EngineSpec("A", ALL, List.of(new Control(ResumeAction.STOP),
                        new Control(ResumeAction.SINGLESTEP), new Detach())),
                        new EngineSpec("B", EnumSet.of(Event.EXEC, Event.CLONE, Event.SIGNAL, Event.DEATH, Event.REAP),
                                List.of(new Control(ResumeAction.REPORT), new SetEvents(EnumSet.of(Event.DEATH, Event.REAP)),
                                        new Detach()))),
                EnumSet.allOf(Kernel.class), 1), 1_000);
    }

    @Test
    void threeEnginesHoldInterruptAndDetach() {
        checked(new Scenario("three engines, exec, SIGKILL",
                List.of(new EngineSpec("A", ALL, List.of(new Control(ResumeAction.STOP), new Control(ResumeAction.RESUME))),
                        new EngineSpec("B", ALL, List.of(new Control(ResumeAction.INTERRUPT), new Detach())),
                        new EngineSpec("C", EnumSet.of(Event.EXEC, Event.DEATH), List.of(new Detach()))),
                EnumSet.of(Kernel.EXEC, Kernel.SIGKILL), 1), 1_000);
    }

    @Test
    void theLastEngineDetachesWhileAnotherSteps() {
        checked(new Scenario("step, stop and detach, clone",
                List.of(new EngineSpec("A", ALL, List.of(new Control(ResumeAction.SINGLESTEP), new Detach())),
                        new EngineSpec("B", ALL, List.of(new Control(ResumeAction.STOP), new Control(ResumeAction.BLOCKSTEP),
                                new Detach()))),
                EnumSet.of(Kernel.CLONE), 1), 100);
    }
}
