package dev.multitrace.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.multitrace.testing.TestPrograms;

/** The C targets compiled by the build, and running binutils (readelf, addr2line) on them. */
final class Targets {

    /**
     * Every build of symprog.c (its "// variant" lines): -O0/-O2, PIE/-no-pie, DWARF 4, zlib- and zstd-compressed
     * debug sections (gcc 12 has no -gz=zstd; ld compresses the output with --compress-debug-sections=zstd), static.
     */
    static final List<String> PROGRAMS = List.of("symprog", "symprog_o2", "symprog_nopie", "symprog_o2_nopie", "symprog_dwarf4", "symprog_gz",
            "symprog_zstd", "symprog_static");

    static final Path LIBC = Path.of("/lib/x86_64-linux-gnu/libc.so.6");

    private Targets() {
    }

    static Path dir() {
        return TestPrograms.dir();
    }

    static Path program(String name) {
        return TestPrograms.path(name);
    }

    /** Runs a tool, feeding {@code input} to its stdin, and returns its stdout (fails on a non-zero exit). */
    static String run(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), "exit status of " + String.join(" ", command));
        return out.join();
    }

    /** A FUNC symbol as printed by {@code readelf -sW}. */
    record ReadelfSymbol(long value, long size, String name, String ndx) {
    }

    /** Defined FUNC symbols of {@code readelf -sW FILE} (both tables; version suffixes removed). */
    static List<ReadelfSymbol> readelfFunctions(Path file) throws IOException, InterruptedException {
        List<ReadelfSymbol> out = new ArrayList<>();
        for (String line : run(null, "readelf", "-sW", file.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !f[0].endsWith(":") || !f[3].equals("FUNC") || f[6].equals("UND")) {
                continue;
            }
            String name = f[7];
            int at = name.indexOf('@');
            if (at > 0) {
                name = name.substring(0, at);
            }
            long size = f[2].startsWith("0x") ? Long.parseUnsignedLong(f[2].substring(2), 16) : Long.parseLong(f[2]);
            out.add(new ReadelfSymbol(Long.parseUnsignedLong(f[1], 16), size, name, f[6]));
        }
        return out;
    }
}
