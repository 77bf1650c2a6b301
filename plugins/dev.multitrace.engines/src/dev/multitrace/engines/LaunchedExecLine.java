package dev.multitrace.engines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code execve(...) = 0} line of a program the service launched. Its execve entry ran
 * before tracing began (the service takes the program at its exec stop), so the line is rebuilt:
 * the file name the kernel was given from the auxiliary vector's AT_EXECFN, the argv the launch
 * passed, and the environment from the new image's initial stack (/proc/PID/stat's startstack).
 * The envp address is therefore the new image's, where strace shows the caller's.
 */
final class LaunchedExecLine {

    private static final long AT_EXECFN = 31;

    private LaunchedExecLine() {
    }

    /** {@code execve("./prog", ["./prog", "a"], 0x7ffd.. /* 20 vars *\/}, or null if /proc cannot tell. */
    static String entry(int pid, List<String> argv, SyscallDecoder decoder, TargetMemory mem) {
        try {
            long execfn = auxv(pid, AT_EXECFN);
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            // Fields after the parenthesised command name; startstack is field 28.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long startStack = Long.parseUnsignedLong(f[28 - 3]);
            byte[] argcBytes = mem.read(startStack, 8);
            if (execfn == 0 || argcBytes.length < 8) {
                return null;
            }
            // The new image's argc: an interpreter (#!) makes it differ from the argv execve got.
            long argc = ByteBuffer.wrap(argcBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long envp = startStack + 8 + 8 * (argc + 1);
            StringBuilder s = new StringBuilder("execve(").append(decoder.path(execfn)).append(", [");
            for (int i = 0; i < argv.size(); i++) {
                if (i > 0) {
                    s.append(", ");
                }
                if (i == SyscallDecoder.MAX_ELEMENTS) {
                    s.append("...");
                    break;
                }
                byte[] b = argv.get(i).getBytes(StandardCharsets.UTF_8);
                s.append(Quoting.quote(b, Math.min(b.length, Quoting.MAX_STRLEN), b.length > Quoting.MAX_STRLEN));
            }
            s.append("], ");
            StringBuilder env = new StringBuilder();
            decoder.entry("execve", new long[] {0, 0, envp, 0, 0, 0}, env);
            // "execve(NULL, NULL, 0x... /* N vars */": keep the environment part.
            return s.append(env.substring("execve(NULL, NULL, ".length())).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long auxv(int pid, long type) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/" + pid + "/auxv"))).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 16) {
            long t = b.getLong();
            long v = b.getLong();
            if (t == type) {
                return v;
            }
            if (t == 0) {
                break;
            }
        }
        return 0;
    }
}
