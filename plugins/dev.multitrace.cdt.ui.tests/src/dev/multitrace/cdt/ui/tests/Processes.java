package dev.multitrace.cdt.ui.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What /proc says about the debugged programs: who traces them, whether they are stopped. */
final class Processes {

    private Processes() {
    }

    /** The live processes running {@code executable}. */
    static List<Integer> running(Path executable) {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readSymbolicLink(p.resolve("exe")).equals(executable) && !"Z".equals(state(Integer.parseInt(name)))) {
                        out.add(Integer.parseInt(name));
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** A field of /proc/PID/status ("TracerPid", "State"...), null if the process is gone. */
    static String status(int pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).strip();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /** The one-letter state (R, S, t, Z...), null if the process is gone. */
    static String state(int pid) {
        String s = status(pid, "State");
        return s == null ? null : s.substring(0, 1);
    }

    /** The command name of the process (its /proc/PID/comm), null if it is gone. */
    static String command(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return null;
        }
    }

    /** The process that traces {@code pid}'s thread {@code pid}: its thread group's leader (a tracer may be a thread). */
    static int tracer(int pid) {
        String t = status(pid, "TracerPid");
        if (t == null || t.equals("0")) {
            return 0;
        }
        String tgid = status(Integer.parseInt(t), "Tgid");
        return tgid == null ? Integer.parseInt(t) : Integer.parseInt(tgid);
    }

    /** The address where {@code executable} is mapped in {@code pid} (its first mapping, at file offset 0). */
    static long loadBase(int pid, Path executable) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/maps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 6 && Path.of(f[5]).equals(executable) && Long.parseLong(f[2], 16) == 0) {
                return Long.parseUnsignedLong(f[0].substring(0, f[0].indexOf('-')), 16);
            }
        }
        throw new IOException(executable + " is not mapped in process " + pid);
    }
}
