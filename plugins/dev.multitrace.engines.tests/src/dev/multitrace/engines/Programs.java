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

    /** The address of a symbol in a non-PIE test target, from {@code nm} (an untraced helper). */
    static long symbol(String program, String name) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder("nm", "-P", path(program)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        for (String line : out.split("\n")) {
            String[] f = line.split(" ");
            if (f.length >= 3 && f[0].equals(name) && (f[1].equals("T") || f[1].equals("t"))) {
                return Long.parseUnsignedLong(f[2], 16);
            }
        }
        throw new IllegalStateException("no symbol " + name + " in " + program + ":\n" + out);
    }

    /**
     * Starts a program in the background through {@code sh -c '... &'}, so that it is not this
     * JVM's child (the JDK's reaper must never wait for a process we will trace); returns its pid.
     */
    static int startDetached(String program, String... args) throws java.io.IOException, InterruptedException {
        StringBuilder cmd = new StringBuilder("'").append(path(program)).append("'");
        for (String a : args) {
            cmd.append(" '").append(a).append("'");
        }
        cmd.append(" </dev/null >/dev/null 2>&1 & echo $!");
        Process sh = new ProcessBuilder("sh", "-c", cmd.toString()).start();
        String pid = new String(sh.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        sh.waitFor();
        return Integer.parseInt(pid);
    }

    /** A field of /proc/PID/status ("TracerPid", "State"), or null if the process is gone. */
    static String status(int pid, String field) {
        try {
            for (String l : java.nio.file.Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith(field + ":")) {
                    return l.substring(field.length() + 1).strip();
                }
            }
            return null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
