package dev.multitrace.engines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.core.Engine;
import dev.multitrace.core.EngineOps;
import dev.multitrace.core.Event;
import dev.multitrace.core.ExitStatus;
import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ResumeAction;
import dev.multitrace.core.SignalAction;
import dev.multitrace.core.SignalReport;
import dev.multitrace.core.Task;
import dev.multitrace.core.TracedProcess;
import dev.multitrace.core.Tracing;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * restart_syscall names the call it resumes, the one a signal or a stop interrupted
 * (clock_nanosleep here, in the restartsleep program), however the tracer came to the thread:
 * launched with it, attached to a sleeping process, or attached to a thread another engine holds.
 */
class RestartSyscallTest {

    private static final String RESUMED_SLEEP = "restart_syscall(<... resuming interrupted clock_nanosleep ...>)";

    private static List<String> cmd(String... args) {
        List<String> c = new ArrayList<>();
        c.add(Programs.path("restartsleep"));
        c.addAll(List.of(args));
        return c;
    }

    private static List<String> lines(String trace) {
        return trace.lines().map(l -> l.replaceAll("\\) +=", ") =")).toList();
    }

    @Test
    void aSleepInterruptedByASignalResumesUnderItsOwnNameAsStraceShowsIt() throws Exception {
        List<String> c = cmd("1", "400");
        Strace.Run expected = Strace.run(List.of(), c);
        Traced.Run actual = Traced.run(List.of(), false, c);

        assertEquals(0, actual.status().code());
        assertEquals(TraceText.normalizedTasks(expected.trace(), actual.trace()), TraceText.normalizedTasks(actual.trace(), expected.trace()));
        List<String> ours = lines(actual.trace());
        assertTrue(ours.contains("clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=400000000}, NULL) = "
                + "? ERESTART_RESTARTBLOCK (Interrupted by signal)"), actual.trace());
        assertTrue(ours.contains(RESUMED_SLEEP + " = 0"), actual.trace());
    }

    @Test
    void aResumedSleepInterruptedAgainStillNamesTheSleep() throws Exception {
        Traced.Run actual = Traced.run(List.of(), false, cmd("2", "400"));

        assertEquals(0, actual.status().code());
        // strace 6.1 names the second one "restart_syscall"; strace's current syscall.c keeps the
        // resumed call's entry across restart_syscall, and names the sleep both times, as here.
        List<String> restarts = lines(actual.trace()).stream().filter(l -> l.startsWith("restart_syscall(")).toList();
        assertEquals(List.of(RESUMED_SLEEP + " = ? ERESTART_RESTARTBLOCK (Interrupted by signal)", RESUMED_SLEEP + " = 0"),
                restarts, actual.trace());
    }

    @Test
    void theResumedCallIsNamedEvenWhenTheFilterHidesIt() throws Exception {
        Traced.Run actual = Traced.run(List.of("trace=restart_syscall"), false, cmd("1", "400"));

        assertEquals(List.of(RESUMED_SLEEP + " = 0"),
                lines(actual.trace()).stream().filter(l -> !l.startsWith("---") && !l.startsWith("+++")).toList(),
                actual.trace());
    }

    @Test
    void attachingToASleepingProcessNamesTheSleepItInterrupted() throws Exception {
        int pid = Programs.startDetached("restartsleep", "0", "1500");
        try {
            awaitSleeping(pid);
            StringWriter out = new StringWriter();
            try (Tracing tracing = Tracing.start()) {
                SyscallTracer tracer = new SyscallTracer(tracing, out, SyscallFilter.all(), false, false);
                tracer.attach(pid);
                assertTrue(tracer.awaitAllGone(Duration.ofSeconds(30)), out.toString());
            }
            // strace -p prints "resuming interrupted read" here (strace 6.1: PTRACE_GET_SYSCALL_INFO
            // gives no number at an attach stop, and its buffer still holds 0, read's number).
            List<String> ours = lines(out.toString());
            assertEquals(List.of(RESUMED_SLEEP + " = 0", "exit_group(0) = ?", "+++ exited with 0 +++"), ours);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** A debugger-like engine: its INTERRUPT stops the thread, and it holds it there. */
    static final class Holder implements EngineOps {
        final CountDownLatch held = new CountDownLatch(1);

        @Override
        public ResumeAction signal(Engine engine, Task task, SignalReport report) {
            if (report.originalAction() == SignalAction.REPORT) {
                held.countDown();
                return ResumeAction.STOP;
            }
            return ResumeAction.RESUME;
        }
    }

    @Test
    void attachingToAThreadAnotherEngineHoldsInTheSleepNamesTheSleep() throws Exception {
        // The IDE's case: the debugger suspended a thread that was sleeping, then the Engines view
        // attached a syscall tracer to it, then the user resumed.
        try (Tracing tracing = Tracing.start()) {
            Holder holder = new Holder();
            Engine debugger = tracing.launch(LaunchSpec.of(Programs.path("restartsleep"), "0", "1500"), holder,
                    "debugger", EnumSet.of(Event.SIGNAL));
            TracedProcess p = debugger.task().process();
            debugger.control(ResumeAction.RESUME);
            awaitSleeping(p.pid());
            debugger.control(ResumeAction.INTERRUPT);
            assertTrue(holder.held.await(10, TimeUnit.SECONDS), "the debugger's interrupt stop");

            StringWriter out = new StringWriter();
            SyscallTracer tracer = new SyscallTracer(tracing, out, SyscallFilter.all(), false, false);
            tracer.attach(debugger.task());
            debugger.control(ResumeAction.RESUME);

            ExitStatus st = p.exitStatus().get(30, TimeUnit.SECONDS);
            assertTrue(tracer.awaitAllGone(Duration.ofSeconds(10)));
            assertEquals(0, st.code());
            assertEquals(List.of(RESUMED_SLEEP + " = 0", "exit_group(0) = ?", "+++ exited with 0 +++"), lines(out.toString()));
        }
    }

    /** Waits until the process sleeps: restartsleep's only blocking call with no child is its sleep. */
    private static void awaitSleeping(int pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!String.valueOf(Programs.status(pid, "State")).startsWith("S")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never slept: " + Programs.status(pid, "State"));
            }
            Thread.sleep(5);
        }
    }
}
