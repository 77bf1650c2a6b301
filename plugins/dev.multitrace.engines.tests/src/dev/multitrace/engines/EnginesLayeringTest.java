package dev.multitrace.engines;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Engines never call ptrace: the engines bundle sees the service, not the Linux layer below it. */
class EnginesLayeringTest {

    @Test
    void enginesCannotReachPtraceOrJnaDirectly() {
        ClassLoader loader = EnginesLayeringTest.class.getClassLoader();
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.multitrace.linux.Ptrace"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("org.eclipse.debug.core.DebugPlugin"));
    }
}
