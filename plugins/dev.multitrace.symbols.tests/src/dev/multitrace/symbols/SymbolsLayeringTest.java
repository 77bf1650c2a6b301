package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The symbol layer is pure Java: it must not see the tracing service, Eclipse or JNA. */
class SymbolsLayeringTest {

    private final ClassLoader loader = SymbolsLayeringTest.class.getClassLoader();

    @Test
    void symbolLayerSeesNeitherTheServiceNorEclipseNorJna() {
        for (String upper : new String[] {"dev.multitrace.core.Tracing", "org.eclipse.core.runtime.IStatus", "com.sun.jna.Native"}) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass(upper), upper);
        }
    }
}
