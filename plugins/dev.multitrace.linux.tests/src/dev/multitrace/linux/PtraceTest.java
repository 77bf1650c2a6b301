package dev.multitrace.linux;

import static dev.multitrace.linux.PtraceConstants.EVENT_EXEC;
import static dev.multitrace.linux.PtraceConstants.TRACESYSGOOD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.multitrace.linux.x86_64.Regs;
import org.junit.jupiter.api.Test;

/**
 * ptrace on real processes. Every request comes from the test thread: the kernel answers
 * only the thread that attached, and that thread is also the spawned child's parent.
 */
class PtraceTest {

    /** x86-64 syscall number of getppid. */
    private static final long SYS_GETPPID = 110;

    /** Upper bound on stops while running a small target to its end; only guards against a loop. */
    private static final int MAX_STOPS = 100_000;

    @Test
    void execStopIsBeforeTheFirstInstructionAndDetachLetsTheProgramFinish() {
        try (Child c = Child.spawn("exit_code", "7")) {
            WaitStatus exec = c.seizeToExec(0);
            assertTrue(exec.isEventStop());
            assertEquals(Signal.SIGTRAP, exec.stopSig());
            // The event message of EXEC is the former tid: the same, single-threaded process.
            assertEquals(c.pid(), Ptrace.getEventMsg(c.pid()));
            // The new image is in place: name, arguments and mappings are the program's,
            // not the gate shell's.
            assertEquals("exit_code", ProcFs.status(c.pid()).name());
            assertEquals(java.util.List.of(Child.target("exit_code"), "7"), ProcFs.cmdline(c.pid()));
            String exe = Child.target("exit_code");
            assertTrue(ProcFs.maps(c.pid()).stream().anyMatch(m -> m.path().equals(exe)), "program mapped");
            assertFalse(ProcFs.maps(c.pid()).stream().anyMatch(m -> m.path().endsWith("/sh")
                    || m.path().endsWith("/dash") || m.path().endsWith("/bash")), "shell unmapped");
            assertEquals('t', ProcFs.status(c.pid()).state(), "tracing stop");
            assertEquals(LibC.gettid(), ProcFs.status(c.pid()).tracerPid());
        }
    }

    @Test
    void singleStepStopsWithSigtrapAndMovesThePc() {
        try (Child c = Child.spawn("exit_code", "7")) {
            c.seizeToExec(0);
            long pc0 = Ptrace.getRegs(c.pid()).pc();
            // From the EXEC stop (inside execve) the first step only leaves the syscall, so
            // take three steps, each of which must be a plain SIGTRAP stop.
            long pc = pc0;
            for (int i = 0; i < 3; i++) {
                Ptrace.singleStep(c.pid(), 0);
                WaitStatus st = c.await();
                assertTrue(st.isSignalDeliveryStop(), "step " + i + ": " + st);
                assertEquals(Signal.SIGTRAP, st.stopSig());
                pc = Ptrace.getRegs(c.pid()).pc();
            }
            assertNotEquals(pc0, pc, "three instructions ran");
            // Detached, it runs on untraced and its exit status still comes to us, its parent.
            Ptrace.detach(c.pid(), 0);
            WaitStatus end = c.await();
            assertTrue(end.exited(), end.toString());
            assertEquals(7, end.exitCode());
        }
    }

    @Test
    void syscallStopsReportEntryThenExitOfGetppid() {
        try (Child c = Child.spawn("getppid_loop")) {
            c.seizeToExec(TRACESYSGOOD);
            int entries = 0;
            SyscallInfo pendingEntry = null;
            for (int stops = 0; stops < MAX_STOPS; stops++) {
                Ptrace.syscall(c.pid(), 0);
                WaitStatus st = c.await();
                if (st.exited()) {
                    assertEquals(3, st.exitCode(), "untouched, the last getppid answered our pid");
                    assertEquals(3, entries, "the program calls getppid three times");
                    return;
                }
                assertTrue(st.isSyscallStop(), st.toString());
                SyscallInfo info = Ptrace.getSyscallInfo(c.pid());
                assertEquals(SyscallInfo.AUDIT_ARCH_X86_64, info.arch());
                if (info.isEntry() && info.nr() == SYS_GETPPID) {
                    entries++;
                    pendingEntry = info;
                } else if (pendingEntry != null) {
                    // The stop right after a getppid entry is its exit, with our pid as result
                    // (the JVM is the parent: posix_spawn ran in this process).
                    assertTrue(info.isExit(), "entry is followed by exit: " + info);
                    assertFalse(info.isError());
                    assertEquals(LibC.getpid(), info.rval());
                    pendingEntry = null;
                }
            }
            fail("no exit after " + MAX_STOPS + " stops");
        }
    }

    @Test
    void setRegsAtSyscallExitChangesWhatTheProgramSees() {
        try (Child c = Child.spawn("getppid_loop")) {
            c.seizeToExec(TRACESYSGOOD);
            for (int stops = 0; stops < MAX_STOPS; stops++) {
                Ptrace.syscall(c.pid(), 0);
                WaitStatus st = c.await();
                if (st.exited()) {
                    // getppid_loop exits 42 only if its last getppid returned 123456.
                    assertEquals(42, st.exitCode());
                    return;
                }
                Regs regs = Ptrace.getRegs(c.pid());
                // At an exit stop rax holds the result; orig_rax keeps the syscall number.
                if (regs.origRax() == SYS_GETPPID && Ptrace.getSyscallInfo(c.pid()).isExit()) {
                    assertEquals(LibC.getpid(), regs.rax());
                    regs.setReturnValue(123456);
                    Ptrace.setRegs(c.pid(), regs);
                    // Round trip: the kernel gives back exactly what was set.
                    assertArrayEquals(regs.words(), Ptrace.getRegs(c.pid()).words());
                }
            }
            fail("no exit after " + MAX_STOPS + " stops");
        }
    }
}
