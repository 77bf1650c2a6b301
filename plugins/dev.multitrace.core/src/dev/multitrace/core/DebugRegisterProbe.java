package dev.multitrace.core;

import static dev.multitrace.linux.PtraceConstants.EVENT_EXEC;

import dev.multitrace.linux.LibC;
import dev.multitrace.linux.Memory;
import dev.multitrace.linux.Ptrace;
import dev.multitrace.linux.PtraceConstants;
import dev.multitrace.linux.SigInfo;
import dev.multitrace.linux.Signal;
import dev.multitrace.linux.SpawnedProcess;
import dev.multitrace.linux.Spawner;
import dev.multitrace.linux.Stdio;
import dev.multitrace.linux.x86_64.DebugRegisters;
import dev.multitrace.linux.x86_64.Regs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Finds out once per JVM whether the debug registers trap, on a helper process of its own (no
 * tracee is touched): {@code /bin/true} started held at its exec, whose first instructions are
 * replaced by
 * <pre>
 *   entry:   mov %rax, -8(%rsp)     ; 48 89 44 24 f8
 *            int3                   ; cc
 * </pre>
 * with an execute breakpoint on {@code entry} (slot 0) and an 8-byte write watch on
 * {@code -8(%rsp)} (slot 1). On a machine whose registers work the helper traps on slot 0
 * before the store, then on slot 1 after it, then stops at the int3; where they do nothing only
 * the int3 is seen. The helper never runs code of its own and is killed at the end. It costs one
 * {@code posix_spawn} and a few stops (a few milliseconds), once.
 * <p>
 * The probe runs on a thread of its own, which is the helper's tracer (ptrace requests come from
 * the thread that attached): the service's tracer thread never waits for it. The helper is that
 * thread's child only (posix_spawn from that thread), so no other waiter sees its stops.
 * <p>
 * The system property {@code multitrace.debugRegisters=off} makes the service act as on a machine
 * whose registers are dead (to try the software path where they work).
 */
final class DebugRegisterProbe {

    private static final byte[] PROBE_CODE = {0x48, (byte) 0x89, 0x44, 0x24, (byte) 0xf8, (byte) 0xcc};
    private static volatile DebugRegisterSupport result;

    private DebugRegisterProbe() {
    }

    /** The answer, probing at the first call (callers on any thread; the tracer thread too). */
    static DebugRegisterSupport support() {
        DebugRegisterSupport r = result;
        if (r == null) {
            synchronized (DebugRegisterProbe.class) {
                r = result;
                if (r == null) {
                    r = result = probeOnOwnThread();
                }
            }
        }
        return r;
    }

    private static DebugRegisterSupport probeOnOwnThread() {
        if ("off".equals(System.getProperty("multitrace.debugRegisters"))) {
            return new DebugRegisterSupport(false, false, DebugRegisters.SLOTS,
                    "turned off by -Dmultitrace.debugRegisters=off");
        }
        CompletableFuture<DebugRegisterSupport> answer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                answer.complete(probe());
            } catch (Throwable e) {
                answer.complete(new DebugRegisterSupport(false, false, DebugRegisters.SLOTS,
                        "the probe failed (" + e.getMessage() + "): treated as not trapping"));
            }
        }, "multitrace-debug-register-probe");
        t.setDaemon(true);
        t.start();
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new DebugRegisterSupport(false, false, DebugRegisters.SLOTS,
                    "the probe did not answer (" + e + "): treated as not trapping");
        }
    }

    private static DebugRegisterSupport probe() {
        SpawnedProcess child = new Spawner(java.util.List.of("/bin/true")).stdin(Stdio.NULL).stdout(Stdio.NULL)
                .stderr(Stdio.NULL).start();
        int pid = child.pid();
        int[] status = new int[1];
        try {
            Ptrace.seize(pid, PtraceConstants.TRACEEXEC | PtraceConstants.EXITKILL);
            // As Launcher.launch: the interrupt's stop (or the gate shell's own exec stop, which
            // consumes it) puts the shell's exec behind us; the next exec stop is /bin/true's.
            Ptrace.interrupt(pid);
            if (!nextStop(pid, status)) {
                return dead("the helper exited before its exec");
            }
            child.release();
            Ptrace.cont(pid, 0);
            while (true) {
                if (!nextStop(pid, status)) {
                    return dead("the helper exited before its exec");
                }
                if (((status[0] >>> 16) & 0xff) == EVENT_EXEC) {
                    break;
                }
                Ptrace.cont(pid, 0);
            }
            Regs r = Ptrace.getRegs(pid);
            long entry = r.pc();
            long slot = (r.sp() - 8) & ~7L;
            r.set(Regs.RSP, slot + 8);
            Ptrace.setRegs(pid, r);
            Memory.writeProcMem(pid, entry, PROBE_CODE);
            DebugRegisters.write(pid, 0, entry);
            DebugRegisters.write(pid, 1, slot);
            long both = DebugRegisters.control(0, DebugRegisters.RW_EXECUTE, 1)
                    | DebugRegisters.control(1, DebugRegisters.RW_WRITE, 8);
            DebugRegisters.write(pid, DebugRegisters.DR_CONTROL, both);
            boolean execute = false;
            boolean data = false;
            for (int stops = 0; stops < 4; stops++) {
                Ptrace.cont(pid, 0);
                if (!nextStop(pid, status)) {
                    break;
                }
                int sig = (status[0] >>> 8) & 0xff;
                if (sig != Signal.SIGTRAP || ((status[0] >>> 16) & 0xff) != 0) {
                    return dead("the helper stopped with signal " + Signal.name(sig) + " instead of a trap");
                }
                long dr6 = DebugRegisters.read(pid, DebugRegisters.DR_STATUS);
                DebugRegisters.write(pid, DebugRegisters.DR_STATUS, 0);
                execute |= (dr6 & 1) != 0;
                data |= (dr6 & 2) != 0;
                if ((dr6 & 1) != 0) {
                    // Slot 0 off, or the instruction breakpoint faults again on the same instruction.
                    DebugRegisters.write(pid, DebugRegisters.DR_CONTROL, DebugRegisters.control(1, DebugRegisters.RW_WRITE, 8));
                }
                if (Ptrace.getSigCode(pid) == SigInfo.SI_KERNEL) {
                    break; // the int3 after the store: everything that could trap has had its chance
                }
            }
            String detail = "probed " + (execute ? "an instruction breakpoint trapped" : "an instruction breakpoint did not trap")
                    + ", " + (data ? "a write watch trapped" : "a write watch did not trap");
            return new DebugRegisterSupport(data, execute, DebugRegisters.SLOTS, detail);
        } finally {
            LibC.kill(pid, Signal.SIGKILL);
            while (LibC.waitpid(pid, status, PtraceConstants.__WALL) > 0 && (status[0] & 0xff) == 0x7f) {
                // stops on the way to death (the exit event is not asked for): keep waiting
            }
            child.close();
        }
    }

    /** @return whether the helper stopped (false: it exited or is gone) */
    private static boolean nextStop(int pid, int[] status) {
        while (true) {
            if (LibC.waitpid(pid, status, PtraceConstants.__WALL) > 0) {
                return (status[0] & 0xff) == 0x7f;
            }
            if (LibC.errno() != dev.multitrace.linux.Errno.EINTR) {
                return false;
            }
        }
    }

    private static DebugRegisterSupport dead(String why) {
        return new DebugRegisterSupport(false, false, DebugRegisters.SLOTS, why);
    }
}
