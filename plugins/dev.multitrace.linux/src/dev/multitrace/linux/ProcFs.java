package dev.multitrace.linux;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Readers for {@code /proc}. Everything here is a snapshot: tasks come and go while we
 * read, so a vanished task becomes {@link NoSuchTaskException} and listings skip it.
 */
public final class ProcFs {

    private static final Path PROC = Path.of("/proc");
    private static final Path PTRACE_SCOPE = Path.of("/proc/sys/kernel/yama/ptrace_scope");

    private ProcFs() {
    }

    /** True if {@code /proc/PID} exists; works for thread ids too (they are hidden, not absent). */
    public static boolean exists(int pid) {
        return pid > 0 && Files.exists(PROC.resolve(Integer.toString(pid)));
    }

    /** The thread ids of process {@code pid}, ascending. */
    public static int[] tasks(int pid) {
        // File.list, not a DirectoryStream: for 1000 threads the Path object per entry cost
        // milliseconds, on top of the kernel's own cost of listing the directory.
        File dir = new File("/proc/" + pid + "/task");
        String[] names = dir.list();
        if (names == null) {
            if (!dir.exists()) {
                throw new NoSuchTaskException("list " + dir, pid);
            }
            throw new LinuxException(Errno.EIO, "list " + dir, "cannot be listed");
        }
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            out[i] = Integer.parseInt(names[i]);
        }
        Arrays.sort(out);
        return out;
    }

    /** Parses {@code /proc/PID/status}. */
    public static ProcStatus status(int pid) {
        String text = readString(pid, "status");
        String name = "";
        char state = '?';
        int tgid = 0, tid = pid, ppid = 0, tracer = 0, ruid = -1, euid = -1, threads = 0;
        long sigPnd = 0, shdPnd = 0, sigBlk = 0, sigIgn = 0, sigCgt = 0, capEff = 0;
        boolean kthread = false;
        boolean sawVm = false;
        Boolean kthreadLine = null;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String val = line.substring(colon + 1).strip();
            switch (key) {
                case "Name" -> name = unescapeName(val);
                case "State" -> state = val.isEmpty() ? '?' : val.charAt(0);
                case "Tgid" -> tgid = Integer.parseInt(val);
                case "Pid" -> tid = Integer.parseInt(val);
                case "PPid" -> ppid = Integer.parseInt(val);
                case "TracerPid" -> tracer = Integer.parseInt(val);
                case "Uid" -> {
                    String[] f = val.split("\\s+");
                    ruid = Integer.parseInt(f[0]);
                    euid = Integer.parseInt(f[1]);
                }
                case "Threads" -> threads = Integer.parseInt(val);
                case "SigPnd" -> sigPnd = Long.parseUnsignedLong(val, 16);
                case "ShdPnd" -> shdPnd = Long.parseUnsignedLong(val, 16);
                case "SigBlk" -> sigBlk = Long.parseUnsignedLong(val, 16);
                case "SigIgn" -> sigIgn = Long.parseUnsignedLong(val, 16);
                case "SigCgt" -> sigCgt = Long.parseUnsignedLong(val, 16);
                case "CapEff" -> capEff = Long.parseUnsignedLong(val, 16);
                case "Kthread" -> kthreadLine = "1".equals(val);
                case "VmSize" -> sawVm = true;
                default -> { }
            }
        }
        // "Kthread:" exists since Linux 6.x; before that, a kernel thread is a child of
        // kthreadd (pid 2) without any memory lines.
        kthread = kthreadLine != null ? kthreadLine : (!sawVm && (tgid == 2 || ppid == 2) && state != 'Z');
        return new ProcStatus(name, state, tgid, tid, ppid, tracer, ruid, euid, threads,
                sigPnd, shdPnd, sigBlk, sigIgn, sigCgt, capEff, kthread);
    }

    /**
     * The number of the syscall the task is in, from {@code /proc/TID/syscall}: while it blocks in
     * one, or while it is stopped where one returned (a signal or ptrace stop that interrupted it:
     * the kernel only rewrites the registers for a restart after the stop). -1 when it is in user
     * code or running on a CPU (the kernel does not know then).
     *
     * @throws NoSuchTaskException if the task is gone
     */
    public static int syscallNumber(int tid) {
        String text = readString(tid, "syscall").strip();
        if (text.equals("running")) {
            return -1;
        }
        int space = text.indexOf(' ');
        return Integer.parseInt(space < 0 ? text : text.substring(0, space));
    }

    /**
     * The start time of the process, field 22 ("starttime", clock ticks after boot) of
     * {@code /proc/PID/stat}.
     *
     * @throws NoSuchTaskException if it is gone
     */
    public static long startTime(int pid) {
        String stat = readString(pid, "stat");
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses; fields resume after the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[22 - 3]);
    }

    /** The task's command name from {@code /proc/PID/comm}, or {@code "?"} if it is gone. */
    public static String comm(int pid) {
        try {
            return readString(pid, "comm").strip();
        } catch (LinuxException e) {
            return "?";
        }
    }

    /** The argument vector from {@code /proc/PID/cmdline}; empty for kernel threads and zombies. */
    public static List<String> cmdline(int pid) {
        byte[] b = readBytes(pid, "cmdline");
        List<String> args = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                args.add(new String(b, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < b.length) {
            args.add(new String(b, start, b.length - start, StandardCharsets.UTF_8));
        }
        return args;
    }

    /** Parses {@code /proc/PID/maps}. */
    public static List<MapEntry> maps(int pid) {
        String text = readString(pid, "maps");
        List<MapEntry> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                out.add(parseMapLine(line));
            }
        }
        return out;
    }

    static MapEntry parseMapLine(String line) {
        // start-end perms offset dev inode [path]; the path may contain spaces, so it is
        // everything after the inode field and its padding.
        int p = 0;
        int dash = line.indexOf('-');
        long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
        int sp = line.indexOf(' ', dash);
        long end = Long.parseUnsignedLong(line.substring(dash + 1, sp), 16);
        p = sp + 1;
        sp = line.indexOf(' ', p);
        String perms = line.substring(p, sp);
        p = sp + 1;
        sp = line.indexOf(' ', p);
        long offset = Long.parseUnsignedLong(line.substring(p, sp), 16);
        p = sp + 1;
        sp = line.indexOf(' ', p);
        String dev = line.substring(p, sp);
        p = sp + 1;
        sp = line.indexOf(' ', p);
        if (sp < 0) {
            sp = line.length();
        }
        long inode = Long.parseLong(line.substring(p, sp));
        String path = sp < line.length() ? line.substring(sp).stripLeading() : "";
        return new MapEntry(start, end, perms, offset, dev, inode, path);
    }

    /** The raw auxiliary vector ({@code /proc/PID/auxv}): pairs of native-endian 64-bit words. */
    public static byte[] auxvBytes(int pid) {
        return readBytes(pid, "auxv");
    }

    /** The auxiliary vector as type → value, in kernel order, up to AT_NULL. */
    public static Map<Long, Long> auxv(int pid) {
        ByteBuffer bb = ByteBuffer.wrap(auxvBytes(pid)).order(ByteOrder.nativeOrder());
        Map<Long, Long> out = new LinkedHashMap<>();
        while (bb.remaining() >= 16) {
            long type = bb.getLong();
            long value = bb.getLong();
            if (type == 0) {
                break;
            }
            out.put(type, value);
        }
        return out;
    }

    /**
     * The Yama {@code ptrace_scope} setting (0 classic, 1 restricted to descendants,
     * 2 admin only, 3 no attach), or -1 if Yama is not present.
     */
    public static int ptraceScope() {
        try {
            return Integer.parseInt(Files.readString(PTRACE_SCOPE).strip());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** All processes (thread groups) currently in /proc, ascending by pid. */
    public static List<ProcessInfo> processes() {
        List<Integer> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(PROC)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    pids.add(Integer.parseInt(n));
                }
            }
        } catch (IOException e) {
            throw failure(e, "list /proc", 0);
        }
        Collections.sort(pids);
        Map<Integer, String> users = userNames();
        List<ProcessInfo> out = new ArrayList<>(pids.size());
        for (int pid : pids) {
            try {
                ProcStatus st = status(pid);
                List<String> cmd = cmdline(pid);
                String user = users.getOrDefault(st.effectiveUid(), Integer.toString(st.effectiveUid()));
                out.add(new ProcessInfo(pid, st.ppid(), st.name(), st.effectiveUid(), user, st.state(),
                        st.tracerPid(), List.copyOf(cmd)));
            } catch (LinuxException e) {
                // exited while we listed: skip
            }
        }
        return out;
    }

    private static Map<Integer, String> userNames() {
        Map<Integer, String> m = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2) {
                    try {
                        m.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                    } catch (NumberFormatException ignored) {
                        // malformed line
                    }
                }
            }
        } catch (IOException e) {
            // no passwd: numeric users
        }
        return m;
    }

    /** The kernel escapes '\\' and newline in Name: as "\\\\" and "\\n". */
    private static String unescapeName(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        return v.replace("\\n", "\n").replace("\\\\", "\\");
    }

    static byte[] readBytes(int pid, String file) {
        Path path = PROC.resolve(pid + "/" + file);
        try {
            // readAllBytes copes with /proc's size-0 files: it reads until EOF.
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw failure(e, "read " + path, pid);
        }
    }

    static String readString(int pid, String file) {
        return new String(readBytes(pid, file), StandardCharsets.UTF_8);
    }

    private static LinuxException failure(IOException e, String op, int pid) {
        if (e instanceof NoSuchFileException) {
            return new NoSuchTaskException(op, pid);
        }
        if (e instanceof AccessDeniedException) {
            // No diagnosis here: PtraceDenial itself reads /proc.
            return new PermissionDeniedException(Errno.EACCES, op, pid, "access to " + op.substring(5) + " denied");
        }
        // ESRCH while reading an existing file means the task died between open and read.
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("No such process")) {
            return new NoSuchTaskException(op, pid);
        }
        LinuxException le = new LinuxException(Errno.EIO, op, msg);
        le.initCause(e);
        return le;
    }
}
