package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Decoding of waitpid status words: as the kernel reports them, then hand-made ones. */
class WaitStatusTest {

    @Test
    void eventStopThenSignalDeliveryStopThenDeathBySignal() {
        try (Child c = Child.spawn("raise_signal", Integer.toString(Signal.SIGUSR1))) {
            WaitStatus exec = c.seizeToExec(0);
            assertTrue(exec.stopped() && exec.isEventStop() && !exec.isSignalDeliveryStop());
            assertEquals(PtraceConstants.EVENT_EXEC, exec.ptraceEvent());
            assertEquals("stopped(SIGTRAP, event EXEC)", exec.toString());

            Ptrace.cont(c.pid(), 0);
            WaitStatus sig = c.await(); // raise(SIGUSR1) stops before delivery
            assertTrue(sig.isSignalDeliveryStop(), sig.toString());
            assertEquals(Signal.SIGUSR1, sig.stopSig());
            assertEquals(0, sig.ptraceEvent());
            assertEquals(Signal.SIGUSR1, Ptrace.getSigInfo(c.pid()).signo());

            Ptrace.cont(c.pid(), Signal.SIGUSR1); // deliver it: default action terminates
            WaitStatus end = c.await();
            assertTrue(end.killed() && !end.exited() && !end.stopped(), end.toString());
            assertEquals(Signal.SIGUSR1, end.termSig());
            assertEquals("killed(SIGUSR1)", end.toString());
        }
    }

    @Test
    void normalExitAsReported() {
        try (Child c = Child.spawn("exit_code", "200")) {
            c.release();
            WaitStatus end = c.await();
            assertTrue(end.exited() && !end.killed() && !end.stopped());
            assertEquals(200, end.exitCode());
            assertEquals("exited(200)", end.toString());
        }
    }

    @Test
    void handMadeStatusWords() {
        assertEquals("exited(42)", new WaitStatus(42 << 8).toString());
        WaitStatus segv = new WaitStatus(0x80 | Signal.SIGSEGV);
        assertTrue(segv.killed() && segv.coreDumped());
        assertEquals("killed(SIGSEGV, core)", segv.toString());
        WaitStatus sysStop = new WaitStatus(((Signal.SIGTRAP | 0x80) << 8) | 0x7f);
        assertTrue(sysStop.isSyscallStop() && !sysStop.isSignalDeliveryStop());
        int eventStop = PtraceConstants.EVENT_STOP << 16;
        WaitStatus group = new WaitStatus(eventStop | (Signal.SIGSTOP << 8) | 0x7f);
        assertTrue(group.isGroupStop() && !group.isInterruptStop());
        WaitStatus interrupt = new WaitStatus(eventStop | (Signal.SIGTRAP << 8) | 0x7f);
        assertTrue(interrupt.isInterruptStop() && !interrupt.isGroupStop());
        WaitStatus cont = new WaitStatus(0xffff);
        assertTrue(cont.continued() && !cont.stopped() && !cont.killed());
        assertFalse(new WaitStatus(0).killed());
    }
}
