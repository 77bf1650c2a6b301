package dev.multitrace.engines;

import java.nio.file.Files;
import java.nio.file.Path;

/** The C test targets, compiled by the build into the directory named by {@code multitrace.native}. */
final class Programs {

    private Programs() {
    }

    static String path(String name) {
        String dir = System.getProperty("multitrace.native");
        if (dir == null) {
            throw new IllegalStateException("system property multitrace.native is not set (run through the build)");
        }
        Path p = Path.of(dir, name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("test target not built: " + p);
        }
        return p.toString();
    }
}
