package dev.multitrace.rsp;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Engines never call ptrace: the GDB stub sees the service, not the Linux layer below it. */
class RspLayeringTest {

    @Test
    void stubCannotReachPtraceOrJnaDirectly() {
        ClassLoader loader = RspLayeringTest.class.getClassLoader();
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.multitrace.linux.Ptrace"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.eclipse.debug.core.DebugPlugin"));
    }
}
