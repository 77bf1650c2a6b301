package dev.multitrace.debug.core.session;

import java.io.RandomAccessFile;

import dev.multitrace.core.HostProcesses;
import dev.multitrace.testing.OrphanProcess;

/**
 * Processes that tests attach to, and what /proc says about them. Shared by the session tests and
 * the model tests, which attach to the same kind of orphan and check the same things afterwards.
 */
public final class Orphans {

    private Orphans() {
    }

    /**
     * Starts {@code program} as a grandchild (sh starts it in the background and exits), so that it
     * is not a child of this JVM (whose process reaper would wait on it) and must be attached to.
     * Waits until it runs three threads (the threaded samples' shape) or two seconds pass.
     */
    public static int start(String program) throws Exception {
        int p = OrphanProcess.start(null, Samples.binary(program).toString());
        for (int i = 0; i < 200 && HostProcesses.threads(p).length < 3; i++) {
            Thread.sleep(10);
        }
        return p;
    }

    /** One byte of the process's memory, read through /proc (not ptrace: the tracee may be detached). */
    public static byte readByte(int pid, long address) throws Exception {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            return (byte) mem.read();
        }
    }

    /** The state letter of /proc/PID/status (R, S, t, T, ...). */
    public static char state(int pid) throws Exception {
        String state = OrphanProcess.status(pid, "State");
        if (state == null) {
            throw new AssertionError("no State in /proc/" + pid + "/status");
        }
        return state.charAt(0);
    }
}
