package dev.multitrace.debug.core;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The debug model is built on the Platform debug framework and never touches JNA or ptrace. */
class DebugModelLayeringTest {

    @Test
    void debugModelSeesPlatformDebugButNotJna() throws Exception {
        ClassLoader loader = DebugModelLayeringTest.class.getClassLoader();
        assertNotNull(loader.loadClass("org.eclipse.debug.core.DebugPlugin"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("com.sun.jna.Native"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.multitrace.linux.Ptrace"));
    }
}
