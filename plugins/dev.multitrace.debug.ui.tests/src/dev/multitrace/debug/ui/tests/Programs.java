package dev.multitrace.debug.ui.tests;

import java.nio.file.Path;

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
        return TestPrograms.source(name);
    }

    /** The 1-based line of {@code source} carrying the comment marker {@code LINE:marker}. */
    static int line(Path source, String marker) {
        return TestPrograms.line(source, "LINE:" + marker);
    }
}
