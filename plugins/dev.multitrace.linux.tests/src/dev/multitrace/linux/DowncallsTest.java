package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/**
 * The hot calls (ptrace, waitpid, pwrite) through FFM: taken on the JDKs that have it final, with
 * results and errno as through JNA, on the calling thread.
 */
class DowncallsTest {

    private static final int NO_SUCH_PID = Integer.MAX_VALUE;

    @Test
    void ffmIsUsedWhereTheJdkHasItFinal() {
        if (Runtime.version().feature() >= 22 && Boolean.parseBoolean(System.getProperty("multitrace.ffm", "true"))) {
            assertNull(Downcalls.UNAVAILABLE);
            assertTrue(Downcalls.available());
        } else {
            assertTrue(Downcalls.UNAVAILABLE != null && !Downcalls.available());
        }
    }

    @Test
    void errnoOfEachFailedCallIsThatCallsOwn() {
        assertEquals(-1, LibC.ptrace(PtraceConstants.CONT, NO_SUCH_PID, 0, 0));
        assertEquals(Errno.ESRCH, LibC.errno());
        assertEquals(-1, LibC.waitpid(NO_SUCH_PID, new int[1], PtraceConstants.__WALL));
        assertEquals(Errno.ECHILD, LibC.errno());
        try (Memory one = new Memory(1)) {
            assertEquals(-1, LibC.pwrite(-1, one, 1, 0));
            assertEquals(Errno.EBADF, LibC.errno());
        }
    }

    @Test
    void errnoIsPerThread() throws Exception {
        assertEquals(-1, LibC.ptrace(PtraceConstants.CONT, NO_SUCH_PID, 0, 0));
        Thread other = new Thread(() -> LibC.waitpid(NO_SUCH_PID, new int[1], 0));
        other.start();
        other.join();
        assertEquals(Errno.ESRCH, LibC.errno());
    }

    @Test
    void waitpidFillsTheStatusOfAChild() {
        try (Child c = Child.spawn("exit_code", "7")) {
            c.release();
            WaitStatus st = c.await(); // Wait.waitpid, over LibC.waitpid
            assertTrue(st.exited(), st.toString());
            assertEquals(7, st.exitCode());
        }
    }
}
