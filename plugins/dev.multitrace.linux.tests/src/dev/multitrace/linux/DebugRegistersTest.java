package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.multitrace.linux.x86_64.DebugRegisters;
import org.junit.jupiter.api.Test;

/** The DR7 encoding, and the debug registers of a real stopped tracee through PEEKUSER/POKEUSER. */
class DebugRegistersTest {

    @Test
    void dr7BitsFollowTheIntelLayout() {
        // Slot 0, write, 8 bytes: L0 (bit 0), R/W0 = 01 (bits 16-17), LEN0 = 10 (bits 18-19).
        assertEquals(0x9_0001L, DebugRegisters.control(0, DebugRegisters.RW_WRITE, 8));
        // Slot 3, read/write, 4 bytes: L3 (bit 6), R/W3 = 11 (bits 28-29), LEN3 = 11 (bits 30-31).
        assertEquals(0xf000_0040L, DebugRegisters.control(3, DebugRegisters.RW_READ_WRITE, 4));
        // Slot 1, execute, 1 byte: only L1 (bit 2).
        assertEquals(0x4L, DebugRegisters.control(1, DebugRegisters.RW_EXECUTE, 1));
        assertEquals(0b01, DebugRegisters.lengthBits(2));
        assertThrows(IllegalArgumentException.class, () -> DebugRegisters.lengthBits(3));
        assertThrows(IllegalArgumentException.class, () -> DebugRegisters.control(4, DebugRegisters.RW_WRITE, 1));
        assertEquals(0xf0_000cL, DebugRegisters.slotMask(1));
    }

    @Test
    void aStoppedTraceeKeepsWhatIsWrittenAndTheKernelRefusesAMisalignedWatch() {
        try (Child c = Child.spawn("memory")) {
            Ptrace.seize(c.pid(), PtraceConstants.EXITKILL);
            c.release();
            long marker = Long.parseUnsignedLong(c.readLine().split(" ")[0].substring(2), 16);
            Ptrace.interrupt(c.pid());
            WaitStatus st = c.await();
            assertTrue(st.isEventStop(), st.toString());

            assertEquals(0, DebugRegisters.read(c.pid(), 7), "a fresh thread has no watch enabled");
            long dr7 = DebugRegisters.control(0, DebugRegisters.RW_WRITE, 8);
            DebugRegisters.write(c.pid(), 0, marker);
            DebugRegisters.write(c.pid(), 7, dr7);
            assertEquals(marker, DebugRegisters.read(c.pid(), 0));
            assertEquals(dr7, DebugRegisters.read(c.pid(), 7));

            // Disabled with a 1-byte length, the slot takes any address; enabling 8 bytes there fails.
            DebugRegisters.write(c.pid(), 7, 0);
            DebugRegisters.write(c.pid(), 0, marker + 1);
            LinuxException e = assertThrows(LinuxException.class, () -> DebugRegisters.write(c.pid(), 7, dr7));
            assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
            assertEquals(0, DebugRegisters.read(c.pid(), 7) & 0xff, "the refused write enabled nothing");

            Ptrace.cont(c.pid(), 0);
            c.closeStdin();
            assertEquals(1, c.await().exitCode());
        }
    }
}
