package dev.multitrace.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The thread's stop state ({@link Task.StopState}) and birth ({@link Task.Birth}) without a
 * kernel: the legal transitions move them as written at the types, an illegal one fails with an
 * error that names the task, the transition and the state it was tried from.
 */
class TaskStateTest {

    private static Task task() {
        return new Task(4242, new TracedProcess(4242, false, false));
    }

    private static void illegal(String expected, Executable transition) {
        IllegalStateException e = assertThrows(IllegalStateException.class, transition);
        assertTrue(e.getMessage().startsWith("Task 4242: illegal transition " + expected), e.getMessage());
    }

    @Test
    void aStopHandledReportedAndResumed() {
        Task t = task();
        assertEquals(Task.StopState.RUNNING, t.stopState());
        t.atStop();
        assertEquals(Task.StopState.STOPPED, t.stopState());
        assertTrue(t.stopped());
        t.passBegins();
        assertTrue(t.inPass());
        t.passEnds();
        t.resumed();
        assertEquals(Task.StopState.RUNNING, t.stopState());
        assertFalse(t.stopped());
    }

    @Test
    void aQueuedStopIsStoppedButNotResumable() {
        Task t = task();
        t.stopQueued();
        assertTrue(t.stopped());
        assertTrue(t.statusQueued());
        illegal("resumed from STOP_QUEUED", t::resumed);
        t.passBegins(); // an INTERRUPT reported before the queued stop is dispatched
        t.passEnds();
        t.atStop();
        assertEquals(Task.StopState.STOPPED, t.stopState());
        assertFalse(t.statusQueued());
    }

    @Test
    void aDroppedQueueTellsWhatWasQueued() {
        Task t = task();
        t.stopQueued();
        t.queueDropped();
        assertEquals(Task.StopState.STOPPED, t.stopState());
        t.endQueued();
        assertFalse(t.stopped());
        assertTrue(t.statusQueued());
        t.queueDropped();
        assertEquals(Task.StopState.RUNNING, t.stopState());
    }

    @Test
    void illegalTransitionsFailClearly() {
        Task t = task();
        illegal("resumed from RUNNING", t::resumed);
        illegal("passBegins from RUNNING", t::passBegins);
        illegal("passEnds outside a pass", t::passEnds);
        t.atStop();
        t.passBegins();
        illegal("passBegins inside a pass", t::passBegins);
        t.passEnds();
        t.endQueued(); // its death is seen: no stop follows it
        illegal("atStop from END_QUEUED", t::atStop);
        illegal("stopQueued from END_QUEUED", t::stopQueued);
        illegal("resumed from END_QUEUED", t::resumed);
    }

    @Test
    void leavingAStopIsAlwaysLegal() {
        Task t = task();
        t.atStop();
        t.passBegins();
        t.leftStop(); // SIGKILL took it out of its stop while its pass runs
        assertEquals(Task.StopState.RUNNING, t.stopState());
        assertTrue(t.inPass());
        t.passAbandoned();
        assertFalse(t.inPass());
    }

    @Test
    void nothingLeavesDeath() {
        Task t = task();
        t.toDead();
        IllegalStateException e = assertThrows(IllegalStateException.class, t::execed);
        assertTrue(e.getMessage().contains("cannot exec"), e.getMessage());
    }

    @Test
    void aNewThreadsFirstStopAndItsParentsReportInEitherOrder() {
        Task made = task();
        made.awaitFirstStop(); // the parent's CLONE report came first
        assertEquals(Task.Birth.AWAITING_FIRST_STOP, made.birth());
        illegal("parentReported from AWAITING_FIRST_STOP", made::parentReported);
        assertTrue(made.firstStop());
        assertEquals(Task.Birth.KNOWN, made.birth());
        assertFalse(made.firstStop()); // a later interrupt stop is not a first one

        Task early = task();
        early.awaitParentReport(); // its first stop came first
        assertFalse(early.firstStop());
        illegal("awaitFirstStop from AWAITING_PARENT_REPORT", early::awaitFirstStop);
        early.parentReported();
        assertEquals(Task.Birth.KNOWN, early.birth());
        early.parentReported(); // seized from /proc before the report: nothing to wait for
        early.awaitParentReport();
        illegal("awaitParentReport from AWAITING_PARENT_REPORT", early::awaitParentReport);
    }
}
