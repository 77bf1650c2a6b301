package dev.multitrace.engines;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code execve(...) = 0} line of a program the service launched. Its execve entry ran
 * before tracing began (the service takes the program at its exec stop), so the line is rebuilt
 * from the new image, which the kernel built from those very arguments: the file name from the
 * auxiliary vector's AT_EXECFN, argv and envp from the initial stack (/proc/PID/stat's
 * startstack). The envp address is therefore the new image's, where strace shows the caller's.
 */
final class LaunchedExecLine {

    private static final long AT_EXECFN = 31;

    private LaunchedExecLine() {
    }

    /** {@code execve("./prog", ["./prog", "a"], 0x7ffd.. /* 20 vars *\/}, or null if /proc cannot tell. */
    static String entry(int pid, SyscallDecoder decoder, TargetMemory mem) {
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
            long argc = ByteBuffer.wrap(argcBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            long argv = startStack + 8;
            long envp = argv + 8 * (argc + 1);
            long[] args = {execfn, argv, envp, 0, 0, 0};
            StringBuilder s = new StringBuilder();
            decoder.entry("execve", args, s);
            return s.toString();
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
