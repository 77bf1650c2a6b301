package dev.multitrace.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Reads and writes of another process's memory at addresses the target (native/memory.c)
 * prints. The target is not traced: it sits in read(0) until stdin closes, so after its
 * line arrives its memory no longer changes.
 */
class MemoryTest {

    /** The addresses memory.c prints on its one line. */
    private record Addresses(long marker, long answer, long unmapped) {
        static Addresses of(String line) {
            long[] a = Arrays.stream(line.split(" ")).mapToLong(s -> Long.parseUnsignedLong(s.substring(2), 16))
                    .toArray();
            return new Addresses(a[0], a[1], a[2]);
        }
    }

    private static Addresses start(Child c) {
        c.release();
        return Addresses.of(c.readLine());
    }

    @Test
    void readsTheBytesOfAGlobal() {
        try (Child c = Child.spawn("memory")) {
            Addresses a = start(c);
            // marker = 0x1122334455667788, stored little-endian.
            byte[] expected = {(byte) 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
            assertArrayEquals(expected, Memory.readFully(c.pid(), a.marker(), 8));
            assertEquals(0x1122334455667788L, Memory.readLong(c.pid(), a.marker()));
        }
    }

    @Test
    void procMemWritesReadOnlyTextAndTheProgramRunsTheNewCode() {
        try (Child c = Child.spawn("memory")) {
            Addresses a = start(c);
            MapEntry text = ProcFs.maps(c.pid()).stream().filter(m -> m.contains(a.answer())).findFirst()
                    .orElseThrow();
            assertTrue(text.executable() && !text.writable(), "answer() lies in read-only text: " + text);
            // process_vm_writev honours the protection and writes nothing...
            byte[] code = {(byte) 0xb8, 42, 0, 0, 0, (byte) 0xc3}; // mov eax, 42; ret
            assertEquals(0, Memory.writeVm(c.pid(), a.answer(), code, 0, code.length));
            // ...while /proc/PID/mem forces the write, as a debugger planting int3 needs.
            Memory.writeProcMem(c.pid(), a.answer(), code);
            assertArrayEquals(code, Memory.readFully(c.pid(), a.answer(), code.length));
            c.closeStdin();
            WaitStatus end = c.await();
            assertTrue(end.exited(), end.toString());
            assertEquals(42, end.exitCode(), "main returns answer(), now our code");
        }
    }

    @Test
    void readStopsShortAtAnUnmappedPage() {
        try (Child c = Child.spawn("memory")) {
            Addresses a = start(c);
            byte[] buf = new byte[16];
            // 8 bytes before the hole, 8 in it: process_vm_readv transfers the mapped part.
            assertEquals(8, Memory.readVm(c.pid(), a.unmapped() - 8, buf, 0, 16));
            byte[] expected = new byte[8];
            Arrays.fill(expected, (byte) 0xab);
            assertArrayEquals(expected, Arrays.copyOf(buf, 8));
            // The fallbacks (/proc/PID/mem, PEEKDATA) cannot read an unmapped page either.
            assertEquals(8, Memory.read(c.pid(), a.unmapped() - 8, new byte[16], 0, 16));
            assertEquals(0, Memory.readVm(c.pid(), a.unmapped(), buf, 0, 16));
            LinuxException e = assertThrows(LinuxException.class, () -> Memory.readFully(c.pid(), a.unmapped() - 8, 16));
            assertEquals(Errno.EFAULT, e.errno());
            assertFalse(ProcFs.maps(c.pid()).stream().anyMatch(m -> m.contains(a.unmapped())));
        }
    }
}
