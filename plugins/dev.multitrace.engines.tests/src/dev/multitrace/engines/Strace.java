package dev.multitrace.engines;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real /usr/bin/strace on a program (an untraced helper, so ProcessBuilder is fine) and
 * returns what it printed, for comparison with the syscall tracer's output.
 */
final class Strace {

    record Run(String trace, int exitCode) {
    }

    private Strace() {
    }

    /** {@code strace -o FILE [options] prog args}: the trace as strace writes it to a file. */
    static Run runToFile(List<String> options, List<String> command) throws IOException, InterruptedException {
        Path file = Files.createTempFile("strace-o", ".txt");
        try {
            List<String> o = new ArrayList<>(List.of("-o", file.toString()));
            o.addAll(options);
            Run r = run(o, command);
            return new Run(Files.readString(file, StandardCharsets.ISO_8859_1), r.exitCode());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** {@code strace [options] prog args}, the trace on stderr as strace writes it to a terminal. */
    static Run run(List<String> options, List<String> command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/strace");
        cmd.addAll(options);
        cmd.addAll(command);
        Path err = Files.createTempFile("strace", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("strace did not finish: " + cmd);
            }
            String text = Files.readString(err, StandardCharsets.ISO_8859_1);
            // strace announces followed children on the same stream, even in the middle of a line.
            text = text.replaceAll("(/usr/bin/)?strace: Process \\d+ attached\n", "");
            return new Run(text, p.exitValue());
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
