package dev.multitrace.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the C test programs the build compiled (releng/build-native.sh): a test bundle's own
 * {@code native/NAME.c} in the directory named by the system property {@code multitrace.native}, and the
 * programs several test bundles share ({@code dev.multitrace.testing/native}) in the one named by
 * {@code multitrace.native.shared}. The root pom sets both for every test run.
 */
public final class TestPrograms {

    /** The test bundle's own programs. */
    public static final String DIR_PROPERTY = "multitrace.native";
    /** The programs of this bundle, compiled once for all test bundles. */
    public static final String SHARED_DIR_PROPERTY = "multitrace.native.shared";

    private TestPrograms() {
    }

    /** The directory of the test bundle's own programs. */
    public static Path dir() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || dir.isEmpty()) {
            throw new IllegalStateException("system property " + DIR_PROPERTY + " is not set (run through the build)");
        }
        return Path.of(dir);
    }

    /**
     * The executable NAME: the test bundle's own if it has one, else the shared one.
     *
     * @throws IllegalStateException if the build did not make it (a partial build that leaves out
     *         dev.multitrace.testing does not compile the shared programs)
     */
    public static Path path(String name) {
        Path own = dir().resolve(name);
        if (Files.isExecutable(own)) {
            return own;
        }
        String shared = System.getProperty(SHARED_DIR_PROPERTY);
        if (shared != null && !shared.isEmpty() && Files.isExecutable(Path.of(shared, name))) {
            return Path.of(shared, name);
        }
        throw new IllegalStateException("test target not built: " + own
                + (shared == null ? "" : " (nor shared: " + Path.of(shared, name) + ", built by dev.multitrace.testing)"));
    }
}
