package dev.multitrace.engines;

import dev.multitrace.testing.TestPrograms;
import dev.multitrace.testing.OrphanProcess;

/** The C test targets, compiled by the build into the directory named by {@code multitrace.native}. */
final class Programs {

    private Programs() {
    }

    static String path(String name) {
        return TestPrograms.path(name).toString();
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
     * Starts a program in the background, so that it is not this JVM's child (the JDK's reaper must
     * never wait for a process we will trace); returns its pid.
     */
    static int startDetached(String program, String... args) throws java.io.IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = path(program);
        System.arraycopy(args, 0, cmd, 1, args.length);
        return OrphanProcess.start(null, cmd);
    }

    /** A field of /proc/PID/status ("TracerPid", "State"), or null if the process is gone. */
    static String status(int pid, String field) {
        return OrphanProcess.status(pid, field);
    }
}
