package dev.multitrace.debug.core.session;

import dev.multitrace.core.LaunchSpec;
import dev.multitrace.core.ExitStatus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.multitrace.testing.TestPrograms;

/** The C samples of these tests, compiled by the build into the directory named by {@code multitrace.native}. */
public final class Samples {

    private Samples() {
    }

    public static Path binary(String name) {
        return TestPrograms.path(name);
    }

    public static LaunchSpec spec(String name) {
        return LaunchSpec.of(binary(name).toString());
    }

    /**
     * The source file of a sample, as the compiler recorded it in the line table (the build
     * compiles native/NAME.c by its absolute path).
     */
    public static Path source(String name) {
        var elf = dev.multitrace.symbols.elf.ElfFile.open(binary(name));
        return dev.multitrace.symbols.dwarf.LineTable.read(elf).files().stream()
                .filter(f -> f.endsWith("/" + name + ".c")).findFirst().map(Path::of)
                .orElseThrow(() -> new IllegalStateException("no " + name + ".c in the line table of " + name));
    }

    /** The 1-based line of the source that carries {@code MARK:marker}. */
    public static int line(String name, String marker) {
        try {
            List<String> lines = Files.readAllLines(source(name));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("MARK:" + marker + " ")) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no MARK:" + marker + " in " + name + ".c");
    }

    public static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    public static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(90, TimeUnit.SECONDS);
    }

    public static ExitStatus exit(DebugSession s) throws Exception {
        return await(s.process().exitStatus());
    }
}
