package dev.multitrace.session;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** gdb running a script on a program, the witness the step tests compare with. */
final class GdbScript {

    /** What every script starts with: no pager, no questions, no network, the program run without a shell. */
    static final String PREAMBLE = "set pagination off\nset confirm off\nset debuginfod enabled off\nset startup-with-shell off\n";

    private GdbScript() {
    }

    /** gdb's output of {@code script} (after {@link #PREAMBLE}) on {@code exe}. */
    static String run(Path exe, String script) throws Exception {
        Path file = Files.createTempFile("steps", ".gdb");
        try {
            Files.writeString(file, PREAMBLE + script);
            // gdb is no tracee of ours (it traces its own): the JDK's process machinery is fine for it
            Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-x", file.toString(), exe.toString()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            byte[] out;
            try (var in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gdb timed out");
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
