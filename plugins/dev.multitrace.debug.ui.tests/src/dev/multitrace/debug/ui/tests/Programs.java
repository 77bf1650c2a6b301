package dev.multitrace.debug.ui.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.multitrace.testing.TestPrograms;

/** The C debuggees in native/, compiled by the build into the directory named by {@code multitrace.native}. */
final class Programs {

    private Programs() {
    }

    static Path binary(String name) {
        return TestPrograms.path(name);
    }

    /** The source of a debuggee, as its DWARF names it (the build compiles native/NAME.c from the bundle). */
    static Path source(String name) {
        Path p = Path.of(System.getProperty("multitrace.native.src", "native"), name + ".c").toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no source " + p);
        }
        return p;
    }

    /** The 1-based line of {@code source} carrying the comment marker {@code LINE:marker}. */
    static int line(Path source, String marker) {
        List<String> lines;
        try {
            lines = Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("LINE:" + marker + " ")) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no marker LINE:" + marker + " in " + source);
    }
}
