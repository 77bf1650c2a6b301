package dev.multitrace.cli.faults;

import dev.multitrace.core.Engine;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import dev.multitrace.core.WatchKind;
import dev.multitrace.linux.LibC;
import dev.multitrace.linux.Memory;
import dev.multitrace.linux.ProcFs;
import dev.multitrace.linux.ProcStatus;
import dev.multitrace.linux.ProcessInfo;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;
import dev.multitrace.linux.Stdio;
import dev.multitrace.symbols.elf.ElfFile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The fault-injection campaign of issue 15: real programs (single- and multi-threaded, forking,
 * exec'ing: native/faulty.c), engines doing breakpoints, single steps, syscall tracing, stop-all,
 * attach and detach, and a fault at a random moment: SIGKILL, exit_group or exec from another
 * thread, SIGSEGV. After each: the tracer answers requests within 100 ms, the process's end comes,
 * every engine got its death (or exec) report, no task is left in a ptrace stop, nothing is left
 * unreaped, and no surviving process (a fork child, a detached program) has an int3 of ours.
 * One service serves every iteration: its tracer thread must come through all of them.
 */
public final class FaultCampaign implements AutoCloseable {

    /** System property naming the directory of the compiled faulty program. */
    public static final String DIR_PROPERTY = "multitrace.faults.native";
    private static final long ANSWER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long END_SECONDS = 10;
    private static final Set<Event> NONE = EnumSet.noneOf(Event.class);

    private final String program;
    private final long hit;
    /** The counter hit() adds to: a write watch on it fires in every thread's loop. */
    private final long total;
    private final Random random;
    private final Tracing tracing = Tracing.start();
    private final ExecutorService asker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "faults-asker");
        t.setDaemon(true);
        return t;
    });
    private final CampaignCounts counts = new CampaignCounts();
    private final int me = LibC.getpid();
    /** Leftover zombies already counted (a zombie the service cannot reap stays for the JVM's life). */
    private final java.util.Set<Integer> reported = new java.util.HashSet<>();
    /** The environment variable that marks this campaign's programs and their fork children. */
    private static final String OWNER_VARIABLE = "MULTITRACE_FAULTS_OWNER";
    /** Its value: this JVM's pid and a per-campaign random number (pids of dead JVMs come again). */
    private final String ownerMark = LibC.getpid() + "-" + Long.toUnsignedString(new java.security.SecureRandom().nextLong(), 36);
    /** The iteration running, to tell where a service error came from. */
    private volatile String current = "setup";
    /** Set when a request never came back: the tracer is stuck and the campaign cannot go on. */
    private boolean tracerStuck;

    /** Activities every iteration has, besides its random ones (the random draws stay the same). */
    private final Set<Activity> always;
    /** Activities no iteration has (drawn all the same, then left out: the other draws stay the same). */
    private final Set<Activity> never;

    private FaultCampaign(Path dir, long seed, Set<Activity> always, Set<Activity> never) {
        this.always = always.isEmpty() ? EnumSet.noneOf(Activity.class) : EnumSet.copyOf(always);
        this.never = never.isEmpty() ? EnumSet.noneOf(Activity.class) : EnumSet.copyOf(never);
        Path p = dir.resolve("faulty").toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("the campaign's program " + p + " is missing: build the project"
                    + " (it compiles plugins/dev.multitrace.cli/native/faulty.c)");
        }
        program = p.toString();
        ElfFile elf = ElfFile.open(p);
        hit = elf.symbols().addressOf("hit").orElseThrow(() -> new IllegalStateException("no symbol hit in " + p));
        total = elf.symbols().byName("total").stream().mapToLong(s -> s.value()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no symbol total in " + p));
        random = new Random(seed);
        tracing.onCallbackError(e -> {
            synchronized (counts) {
                counts.serviceError("in " + current + ": " + e);
            }
        });
    }

    /**
     * A campaign on the programs in {@code explicit}, else in the directory named by
     * {@value #DIR_PROPERTY}, else {@code $multitrace.home/plugins/dev.multitrace.cli/target/native}.
     */
    public static FaultCampaign create(Path explicit, long seed) {
        return create(explicit, seed, Set.of(), Set.of());
    }

    /**
     * {@link #create(Path, long)} with activities that every iteration has besides its random ones, and
     * activities that none has.
     */
    public static FaultCampaign create(Path explicit, long seed, Set<Activity> always, Set<Activity> never) {
        Path dir = explicit;
        if (dir == null && System.getProperty(DIR_PROPERTY) != null) {
            dir = Path.of(System.getProperty(DIR_PROPERTY));
        }
        if (dir == null && System.getProperty("multitrace.home") != null) {
            dir = Path.of(System.getProperty("multitrace.home"), "plugins", "dev.multitrace.cli", "target", "native");
        }
        if (dir == null) {
            throw new IllegalStateException("where is the campaign's program? pass --native DIR");
        }
        return new FaultCampaign(dir, seed, always, never);
    }

    /** Runs {@code iterations} iterations (fewer if the tracer gets stuck); progress every 500 on {@code progress}. */
    public CampaignCounts run(int iterations, PrintStream progress) {
        for (int i = 0; i < iterations && !tracerStuck; i++) {
            try {
                iteration(i);
            } catch (Exception | AssertionError e) {
                counts.leftover("iteration " + i + " failed: " + e);
                for (var p : tracing.processes()) {
                    LibC.kill(p.pid(), Signal.SIGKILL); // the next iteration starts with nothing traced
                }
            }
            counts.iterations++;
            if (progress != null && (i + 1) % 500 == 0) {
                progress.printf("%d iterations, %d hangs, %d leftovers%n", i + 1, counts.hangs, counts.leftovers);
            }
        }
        return counts;
    }

    // ------------------------------------------------------------------ one iteration

    private void iteration(int i) throws Exception {
        int threads = random.nextBoolean() ? 1 : 2 + random.nextInt(3);
        int forks = random.nextInt(3);
        FaultKind fault = FaultKind.values()[random.nextInt(FaultKind.values().length)];
        EnumSet<Activity> acts = EnumSet.noneOf(Activity.class);
        for (Activity a : new Activity[] {Activity.BREAKPOINTS, Activity.STEPS, Activity.SYSCALLS, Activity.STOP_ALL}) {
            if (random.nextBoolean()) {
                acts.add(a);
            }
        }
        if (acts.isEmpty()) {
            acts.add(Activity.BREAKPOINTS);
        }
        if (random.nextInt(10) < 3) {
            acts.add(Activity.WATCHPOINTS);
        }
        if (random.nextInt(10) < 3) {
            acts.add(Activity.ATTACH);
        }
        if (random.nextInt(10) < 2) {
            acts.add(Activity.DETACH);
        }
        acts.addAll(always);
        acts.removeAll(never);
        String what = "iteration " + i + " (threads=" + threads + " forks=" + forks + " " + acts + " " + fault + ")";
        counts.faults.merge(fault, 1, Integer::sum);
        acts.forEach(a -> counts.activities.merge(a, 1, Integer::sum));
        current = what;

        Map<Engine, List<String>> lives = Witness.newLives();
        int[] execFormer = {-1};
        Witness base = new Witness(tracing, "base", NONE, lives, execFormer);
        String[] cmd = {program, Integer.toString(threads), Integer.toString(forks)};
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put(OWNER_VARIABLE, ownerMark);
        SpawnedProcess spawned = null;
        Engine main;
        OutputStream stdin;
        if (acts.contains(Activity.ATTACH)) {
            spawned = new Spawner(List.of(cmd)).environment(env).stdout(Stdio.NULL).stderr(Stdio.NULL).start();
            spawned.release();
            stdin = spawned.stdin();
            awaitThreads(spawned.pid(), threads);
            List<Engine> all = tracing.attachProcess(spawned.pid(), base, "base", base.mask, false);
            all.forEach(base::track);
            main = all.stream().filter(e -> e.task().tid() == e.task().process().pid()).findFirst().orElse(all.get(0));
        } else {
            main = base.track(tracing.launch(LaunchSpec.of(cmd).withEnvironment(env), base, "base", base.mask));
            stdin = main.task().process().stdin();
        }
        TracedProcess p = main.task().process();
        int pid = p.pid();
        int leftoversBefore = counts.leftovers + counts.serviceErrors;
        if (acts.contains(Activity.BREAKPOINTS)) {
            attachEverywhere(p, new Witness(tracing, "breakpoints", EnumSet.of(Event.BREAKPOINT), lives, execFormer))
                    .insertBreakpoint(hit);
        }
        if (acts.contains(Activity.WATCHPOINTS)) {
            attachEverywhere(p, new Witness(tracing, "watchpoints", EnumSet.of(Event.WATCHPOINT), lives, execFormer))
                    .insertWatchpoint(total, 8, WatchKind.WRITE);
        }
        if (acts.contains(Activity.SYSCALLS)) {
            attachEverywhere(p, new Witness(tracing, "syscalls", EnumSet.of(Event.SYSCALL_ENTRY, Event.SYSCALL_EXIT),
                    lives, execFormer));
        }
        Witness stopper = null;
        if (acts.contains(Activity.STOP_ALL)) {
            stopper = new Witness(tracing, "stop-all", NONE, lives, execFormer);
            attachEverywhere(p, stopper);
        }
        if (acts.contains(Activity.STEPS)) {
            Witness.Stepper stepper = new Witness.Stepper(tracing, lives, execFormer);
            Engine s = stepper.track(tracing.attach(main.task(), stepper, stepper.role, stepper.mask));
            s.control(ResumeAction.REPORT); // its QUIESCE report starts the stepping
        }
        if (spawned == null) {
            main.control(ResumeAction.RESUME); // a launched program starts held
        }
        java.util.concurrent.atomic.AtomicBoolean over = new java.util.concurrent.atomic.AtomicBoolean();
        CompletableFuture<Void> stopAll = stopper == null ? null : stopAllAgainAndAgain(stopper, lives, over);

        sleepMicros(random.nextInt(8_000)); // the random moment
        boolean detached = acts.contains(Activity.DETACH);
        if (detached) {
            tracing.detach(p);
            checkDetached(pid, what);
        }
        deliver(fault, pid, stdin, what);

        ExitStatus end = awaitEnd(p, spawned, detached, what);
        over.set(true);
        if (stopAll != null) {
            stopAll.get(10, TimeUnit.SECONDS);
        }
        if (end != null && !fault.expected(end)) {
            counts.leftover(what + ": ended with " + end);
        }
        if (!detached && end != null) {
            checkReports(lives, fault, execFormer[0], what);
        }
        checkNothingLeft(pid, what);
        if (counts.leftovers + counts.serviceErrors > leftoversBefore) {
            // What the service thought happened to the process: how it came to this.
            counts.problems.add("    journal of " + pid + ": " + String.join(" | ", p.journal()));
        }
        if (spawned != null) {
            spawned.close();
        } else {
            closeQuietly(p);
        }
    }

    /** Waits (from outside, by /proc) for the gate shell's exec of the program and its threads, before attaching. */
    private static void awaitThreads(int pid, int threads) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            try {
                ProcStatus st = ProcFs.status(pid);
                if (st.name().equals("faulty") && st.threads() >= threads) {
                    return;
                }
            } catch (RuntimeException gone) {
                return;
            }
            Thread.sleep(1);
        }
    }

    /** An engine of {@code w}'s on every thread now (new ones follow through CLONE); one of them. */
    private Engine attachEverywhere(TracedProcess p, Witness w) {
        Engine first = null;
        for (Task t : p.tasks()) {
            try {
                Engine e = w.track(tracing.attach(t, w, w.role, w.mask));
                first = first == null ? e : first;
            } catch (RuntimeException gone) {
                // a thread that exited meanwhile
            }
        }
        if (first == null) {
            throw new IllegalStateException("no thread to attach to in " + p);
        }
        return first;
    }

    /** An engine STOP on every thread, then RESUME, again and again, until cancelled or the process is gone. */
    private CompletableFuture<Void> stopAllAgainAndAgain(Witness stopper, Map<Engine, List<String>> lives,
            java.util.concurrent.atomic.AtomicBoolean over) {
        Random r = new Random(random.nextLong());
        return CompletableFuture.runAsync(() -> {
            while (!over.get()) {
                List<Engine> mine = new ArrayList<>();
                for (Engine e : lives.keySet()) {
                    if (e.ops() == stopper && !e.isDetached()) {
                        mine.add(e);
                    }
                }
                if (mine.isEmpty()) {
                    return;
                }
                mine.forEach(e -> controlQuietly(e, ResumeAction.STOP));
                sleepMicros(r.nextInt(500));
                mine.forEach(e -> controlQuietly(e, ResumeAction.RESUME));
                sleepMicros(r.nextInt(500));
            }
        });
    }

    private void controlQuietly(Engine e, ResumeAction a) {
        try {
            e.control(a);
        } catch (RuntimeException x) {
            synchronized (counts) {
                counts.problems.add("control(" + a + ") of " + e + " threw " + x);
            }
        }
    }

    private void deliver(FaultKind fault, int pid, OutputStream stdin, String what) {
        if (fault == FaultKind.SIGKILL) {
            LibC.kill(pid, Signal.SIGKILL);
            return;
        }
        try {
            stdin.write(fault.command);
            stdin.flush();
        } catch (IOException e) {
            counts.leftover(what + ": cannot tell the program its fault: " + e);
            LibC.kill(pid, Signal.SIGKILL);
        }
    }

    /**
     * Asks the tracer (a request through its thread) again and again until the process's end:
     * each answer must come within 100 ms. The end: the service's exit status while it traces the
     * program (for one the campaign spawned too: the tracer thread, in this process, reaps it, and
     * a wait of ours while it is traced would take the tracer's ptrace stops), else the campaign's
     * own wait for the one it spawned and the service let go.
     */
    private ExitStatus awaitEnd(TracedProcess p, SpawnedProcess spawned, boolean detached, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(END_SECONDS);
        boolean lateSeen = false;
        while (System.nanoTime() < deadline) {
            if (!answersWithin100ms(p.pid(), what, !lateSeen)) {
                if (tracerStuck) {
                    return null;
                }
                lateSeen = true; // a late answer is one hang; the end is still waited for, and reaped
            }
            ExitStatus byService = p.exitStatus().isDone() ? p.exitStatus().get() : null;
            if (byService != null) {
                return byService;
            }
            if (spawned != null && detached) {
                int[] st = new int[1];
                if (LibC.waitpid(spawned.pid(), st, 1 /* WNOHANG */) == spawned.pid()) {
                    return ExitStatus.of(st[0]);
                }
            }
            Thread.sleep(1);
        }
        counts.hang(what + ": the process did not end within " + END_SECONDS + " s: " + threadStates(p.pid())
                + " service: " + describe(p));
        LibC.kill(p.pid(), Signal.SIGKILL);
        return null;
    }

    private boolean answersWithin100ms(int pid, String what, boolean countLate) throws Exception {
        long t0 = System.nanoTime();
        Future<?> f = asker.submit(() -> tracing.task(pid));
        try {
            f.get(ANSWER_NANOS, TimeUnit.NANOSECONDS);
            counts.slowestAnswerNanos = Math.max(counts.slowestAnswerNanos, System.nanoTime() - t0);
            return true;
        } catch (TimeoutException slow) {
            try {
                f.get(10, TimeUnit.SECONDS);
                if (countLate) {
                    counts.hang(what + ": the tracer answered after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                }
            } catch (TimeoutException stuck) {
                counts.hang(what + ": the tracer did not answer within 10 s");
                tracerStuck = true;
            }
            return false;
        }
    }

    /** A detached program: no thread traced or in a ptrace stop, no int3 of ours in its text. */
    private void checkDetached(int pid, String what) {
        try {
            for (int tid : ProcFs.tasks(pid)) {
                ProcStatus st = ProcFs.status(tid);
                if (st.tracerPid() != 0) {
                    counts.leftover(what + ": thread " + tid + " still traced after the detach");
                }
            }
            if (Memory.readFully(pid, hit, 1)[0] == (byte) 0xcc) {
                counts.leftover(what + ": an int3 left at hit() after the detach");
            }
        } catch (RuntimeException gone) {
            // It ended by itself meanwhile (an earlier fault cannot happen: none was sent yet).
        }
    }

    /** Every engine got DEATH then REAP, or EXEC (and lives on in the new image). */
    private void checkReports(Map<Engine, List<String>> lives, FaultKind fault, int execFormer, String what)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            List<String> missing = new ArrayList<>();
            for (var life : lives.entrySet()) {
                List<String> l = life.getValue();
                boolean reaped = l.size() >= 2 && l.get(l.size() - 1).equals("REAP") && l.get(l.size() - 2).equals("DEATH");
                // The thread that exec'd takes the leader's tid: its own engines are not told of it
                // (the exec is reported on the leader's task; see issue 15, "exec by a non-leader").
                boolean replacedByExec = fault == FaultKind.EXEC && life.getKey().task().tid() == execFormer;
                if (!reaped && !replacedByExec) {
                    missing.add(life.getKey() + " " + l);
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            if (System.nanoTime() > end) {
                counts.leftover(what + ": engines without their death report: " + missing);
                return;
            }
            Thread.sleep(2);
        }
    }

    /**
     * Nothing left: the process is gone, the service traces nothing, no zombie child of the JVM,
     * no other task in a ptrace stop of ours, and the surviving fork children run free (untraced,
     * not stopped, no int3 at hit()); they are killed then.
     */
    private void checkNothingLeft(int pid, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        String left;
        while (!(left = leftovers(pid)).isEmpty()) {
            if (System.nanoTime() > end) {
                counts.leftover(what + ": " + left);
                // Reported once: let it go so that the next iterations are judged on their own.
                tracing.process(pid).ifPresent(tracing::detach);
                LibC.kill(pid, Signal.SIGKILL);
                reported.addAll(zombieChildren());
                for (ProcessInfo x : processes()) {
                    if (x.tracerPid() != 0 && tracedByThisJvm(x.tracerPid()) && !x.name().equals("sleep")
                            && tracing.process(x.pid()).isEmpty()) {
                        reported.add(x.pid());
                        LibC.kill(x.pid(), Signal.SIGKILL);
                    }
                }
                break;
            }
            Thread.sleep(2);
        }
        for (ProcessInfo x : processes()) {
            if (!x.name().equals("faulty") || x.pid() == pid || x.state() == 'Z' || !ours(x.pid())) {
                continue;
            }
            counts.forkChildren++;
            try {
                ProcStatus st = ProcFs.status(x.pid());
                if (st.tracerPid() != 0 || st.state() == 't') {
                    counts.leftover(what + ": fork child " + x.pid() + " left traced or in a ptrace stop: " + st.state()
                            + " tracer " + st.tracerPid());
                }
                if (Memory.readFully(x.pid(), hit, 1)[0] == (byte) 0xcc) {
                    counts.leftover(what + ": fork child " + x.pid() + " has an int3 at hit()");
                }
            } catch (RuntimeException gone) {
                // it ended meanwhile
            }
            LibC.kill(x.pid(), Signal.SIGKILL);
        }
    }

    private String leftovers(int pid) {
        StringBuilder b = new StringBuilder();
        if (ProcFs.exists(pid)) {
            b.append("process ").append(pid).append(" not reaped: ").append(threadStates(pid)).append("; ");
        }
        tracing.process(pid).ifPresent(p -> b.append("the service still traces ").append(pid).append(": ")
                .append(describe(p)).append("; "));
        for (ProcessInfo x : processes()) {
            if (x.ppid() == me && x.state() == 'Z' && !reported.contains(x.pid())) {
                b.append("zombie child ").append(x.pid()).append(" (").append(x.name()).append("); ");
            }
            if (x.tracerPid() != 0 && tracedByThisJvm(x.tracerPid()) && !x.name().equals("sleep")
                    && tracing.process(x.pid()).isEmpty() && !reported.contains(x.pid())) {
                b.append(x.pid()).append(" (").append(x.name()).append(", parent ").append(x.ppid()).append(", state ")
                        .append(x.state()).append(" in ").append(wchan(x.pid())).append(") traced by us and no longer known; ");
            }
        }
        return b.toString();
    }

    /**
     * Whether a "faulty" process is one of this campaign's (its environment carries the mark every
     * program of this campaign is started with, and fork children inherit), not another campaign's
     * running on the same machine at the same time: only our own are judged and killed.
     */
    private boolean ours(int pid) {
        try {
            byte[] env = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
            String mark = OWNER_VARIABLE + "=" + ownerMark;
            for (String var : new String(env, java.nio.charset.StandardCharsets.UTF_8).split("\0")) {
                if (var.equals(mark)) {
                    return true;
                }
            }
            return false;
        } catch (IOException gone) {
            return false;
        }
    }

    /** The processes in /proc (ProcFs.processes() without the user names and command lines this does not need). */
    private static List<ProcessInfo> processes() {
        List<ProcessInfo> out = new ArrayList<>();
        try (var dir = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path d : dir) {
                String n = d.getFileName().toString();
                if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    ProcStatus st = ProcFs.status(Integer.parseInt(n));
                    out.add(new ProcessInfo(st.tgid(), st.ppid(), st.name(), st.effectiveUid(), "", st.state(),
                            st.tracerPid(), List.of()));
                } catch (RuntimeException gone) {
                    // exited while listed
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    private List<Integer> zombieChildren() {
        List<Integer> z = new ArrayList<>();
        for (ProcessInfo x : processes()) {
            if (x.ppid() == me && x.state() == 'Z') {
                z.add(x.pid());
            }
        }
        return z;
    }

    /** Where in the kernel a task waits (ptrace_stop, do_wait...), for the report. */
    private static String wchan(int pid) {
        try {
            return Files.readString(Path.of("/proc", Integer.toString(pid), "wchan")).strip();
        } catch (IOException gone) {
            return "?";
        }
    }

    private boolean tracedByThisJvm(int tracer) {
        try {
            return ProcFs.status(tracer).tgid() == me;
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /** What the service says of each thread: its state and who holds it. */
    private static String describe(TracedProcess p) {
        StringBuilder b = new StringBuilder();
        for (Task t : p.tasks()) {
            b.append(t.tid()).append(": ").append(t.state());
            for (Engine e : t.engines()) {
                b.append(e.holdsStop() ? " [" + e.data() + " holds]" : "");
            }
            b.append("; ");
        }
        return b.toString();
    }

    private static String threadStates(int pid) {
        StringBuilder b = new StringBuilder();
        try {
            for (int tid : ProcFs.tasks(pid)) {
                ProcStatus st = ProcFs.status(tid);
                b.append(tid).append('=').append(st.state()).append(" tracer ").append(st.tracerPid()).append(' ');
            }
        } catch (RuntimeException gone) {
            b.append("(gone)");
        }
        return b.toString();
    }

    private static void closeQuietly(TracedProcess p) {
        try {
            if (p.stdin() != null) {
                p.stdin().close();
            }
            if (p.stdout() != null) {
                p.stdout().close();
            }
            if (p.stderr() != null) {
                p.stderr().close();
            }
        } catch (IOException ignored) {
            // a pipe of a process that is gone
        }
    }

    private static void sleepMicros(int micros) {
        try {
            TimeUnit.MICROSECONDS.sleep(micros);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        asker.shutdownNow();
        tracing.close();
    }
}
