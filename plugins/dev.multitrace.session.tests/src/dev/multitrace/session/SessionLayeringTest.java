package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The session is below the Eclipse line: it sees the service, symbols and engines, never Eclipse, JNA or ptrace. */
class SessionLayeringTest {

    @Test
    void sessionSeesTheServiceButNeitherEclipseNorJna() throws Exception {
        ClassLoader loader = SessionLayeringTest.class.getClassLoader();
        assertNotNull(loader.loadClass("dev.multitrace.core.Tracing"));
        for (String hidden : new String[] {"org.eclipse.core.runtime.IStatus", "org.eclipse.debug.core.DebugPlugin",
                "com.sun.jna.Native", "dev.multitrace.linux.Ptrace"}) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(hidden), hidden);
        }
    }
}
