package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Engines never call ptrace: the GDB stub sees the service (and the symbol layer), not the Linux layer below it. */
class RspLayeringTest {

    @Test
    void stubCannotReachPtraceOrJnaDirectly() {
        ClassLoader loader = RspLayeringTest.class.getClassLoader();
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.multitrace.linux.Ptrace"));
        // No Linux type at all: registers come as the kernel's words through the service's API.
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.multitrace.linux.x86_64.Regs"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.multitrace.linux.Registers"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.eclipse.debug.core.DebugPlugin"));
    }
}
