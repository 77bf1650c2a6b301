package dev.multitrace.cdt.ui.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** gdb as the independent witness of what the program's debug information says (gdb -batch on the file). */
final class Gdb {

    private static final Pattern STARTS_AT = Pattern.compile("starts at address (0x[0-9a-f]+)");

    private Gdb() {
    }

    /** Whether a gdb runs here (else the tests that need it are skipped). */
    static boolean available() {
        try {
            return run("--version").contains("GNU gdb");
        } catch (IOException e) {
            return false;
        }
    }

    /** The first address of {@code file:line} in {@code executable} as gdb reads it (unrelocated for a PIE). */
    static long lineAddress(Path executable, String file, int line) throws IOException {
        String out = run("-batch", "-nx", "-ex", "info line " + file + ":" + line, executable.toString());
        Matcher m = STARTS_AT.matcher(out);
        if (!m.find()) {
            throw new IOException("gdb: no address for " + file + ":" + line + ": " + out);
        }
        return Long.parseUnsignedLong(m.group(1).substring(2), 16);
    }

    // gdb reads a file here; it traces nothing, so ProcessBuilder (and its reaper) is harmless.
    private static String run(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "gdb";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("gdb did not answer within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
