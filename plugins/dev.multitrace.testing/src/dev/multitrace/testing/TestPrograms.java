package dev.multitrace.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the C test programs the build compiled (releng/build-native.sh): a test bundle's own
 * {@code native/NAME.c} in the directory named by the system property {@code multitrace.native}, and the
 * programs several test bundles share ({@code dev.multitrace.testing/native}) in the one named by
 * {@code multitrace.native.shared}. The root pom sets both for every test run, and the directories of their
 * sources ({@code multitrace.native.src}, {@code multitrace.native.shared.src}): the build compiles each
 * {@code NAME.c} by that absolute path, which is what the programs' DWARF names.
 */
public final class TestPrograms {

    /** The test bundle's own programs. */
    public static final String DIR_PROPERTY = "multitrace.native";
    /** The programs of this bundle, compiled once for all test bundles. */
    public static final String SHARED_DIR_PROPERTY = "multitrace.native.shared";
    /** Where the test bundle's own {@code NAME.c} are. */
    public static final String SRC_PROPERTY = "multitrace.native.src";
    /** Where this bundle's shared {@code NAME.c} are. */
    public static final String SHARED_SRC_PROPERTY = "multitrace.native.shared.src";

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

    /** The source of program NAME, {@code NAME.c}: the test bundle's own if it has one, else the shared one. */
    public static Path source(String name) {
        for (String property : new String[] {SRC_PROPERTY, SHARED_SRC_PROPERTY}) {
            String dir = System.getProperty(property);
            if (dir != null && !dir.isEmpty() && Files.isRegularFile(Path.of(dir, name + ".c"))) {
                return Path.of(dir, name + ".c").toAbsolutePath();
            }
        }
        throw new IllegalStateException("no source " + name + ".c in " + System.getProperty(SRC_PROPERTY) + " nor "
                + System.getProperty(SHARED_SRC_PROPERTY));
    }

    /** The 1-based line of {@code source} that carries {@code tag} followed by a space (a marker in a comment). */
    public static int line(Path source, String tag) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(tag + " ")) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no marker " + tag + " in " + source);
    }

    /** The line of program NAME's source marked {@code MARK:marker}. */
    public static int mark(String name, String marker) {
        return line(source(name), "MARK:" + marker);
    }
}
