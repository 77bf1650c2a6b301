package dev.multitrace.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import dev.multitrace.testing.TestPrograms;

/** The C test targets, compiled by the build into the directory named by {@code multitrace.native}. */
final class Programs {

    private Programs() {
    }

    static String path(String name) {
        return TestPrograms.path(name).toString();
    }

    static LaunchSpec spec(String name, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = path(name);
        System.arraycopy(args, 0, cmd, 1, args.length);
        return LaunchSpec.of(cmd);
    }

    static String readLine(InputStream in) throws IOException {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    }

    static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** The state letter of /proc/PID/status (R, S, T, t, Z...). */
    static char state(int tid) {
        return dev.multitrace.linux.ProcFs.status(tid).state();
    }
}
