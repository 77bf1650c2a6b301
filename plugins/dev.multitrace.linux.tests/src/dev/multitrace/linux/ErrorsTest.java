package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The typed exceptions the bindings raise, and what their messages tell the user. */
class ErrorsTest {

    /** Above any pid_max (at most 2^22), so no task can have it. */
    private static final int NO_SUCH_PID = Integer.MAX_VALUE;

    @Test
    void seizingANonexistentPidIsNoSuchTask() {
        NoSuchTaskException e = assertThrows(NoSuchTaskException.class, () -> Ptrace.seize(NO_SUCH_PID, 0));
        assertEquals(Errno.ESRCH, e.errno());
        assertEquals("ESRCH", e.errnoName());
        assertEquals(NO_SUCH_PID, e.pid());
        assertEquals("ptrace(SEIZE, " + NO_SUCH_PID + ")", e.operation());
        assertEquals("ptrace(SEIZE, " + NO_SUCH_PID + "): no such task " + NO_SUCH_PID + " (ESRCH)", e.getMessage());
    }

    @Test
    void procFsOfANonexistentPidIsNoSuchTask() {
        NoSuchTaskException e = assertThrows(NoSuchTaskException.class, () -> ProcFs.status(NO_SUCH_PID));
        assertEquals(NO_SUCH_PID, e.pid());
    }

    @Test
    void esrchOnALiveTaskSaysItIsNotAStoppedTraceeOfThisThread() {
        // The kernel answers ESRCH both for "no such task" and for "not your stopped
        // tracee"; the message tells which by looking at /proc.
        try (Child c = Child.spawn("exit_code")) { // held at the gate, alive, not traced
            NoSuchTaskException e = assertThrows(NoSuchTaskException.class, () -> Ptrace.getRegs(c.pid()));
            assertTrue(e.getMessage().contains("task " + c.pid() + " is not a ptrace-stopped tracee of this thread"),
                    e.getMessage());
        }
    }

    @Test
    void seizingAProcessTracedByAnotherTracerNamesThatTracer() {
        // traceme_parent forks a child traced by itself and prints the child's pid.
        try (Child tracer = Child.spawn("traceme_parent")) {
            tracer.release();
            int traced = Integer.parseInt(tracer.readLine().strip());
            try {
                assertEquals(tracer.pid(), ProcFs.status(traced).tracerPid());
                PermissionDeniedException e = assertThrows(PermissionDeniedException.class,
                        () -> Ptrace.seize(traced, 0));
                assertEquals(Errno.EPERM, e.errno());
                assertEquals(traced, e.pid());
                assertEquals("already traced by pid " + tracer.pid() + " (traceme_parent)", e.reason());
                assertTrue(e.getMessage().endsWith("not permitted: " + e.reason() + " (EPERM)"), e.getMessage());
            } finally {
                // Its parent (not us) reaps it; killing it first leaves no orphan behind.
                LibC.kill(traced, Signal.SIGKILL);
            }
        }
    }
}
