package dev.multitrace.linux;

import com.sun.jna.Native;

/**
 * An open {@code /proc/PID/mem} for repeated small writes into one address space, such as the
 * two breakpoint bytes written at every step over a breakpoint. Opening the file costs a path
 * lookup and an access check each time; kept open, a write is one {@code pwrite}.
 *
 * <p>The descriptor stays bound to the address space it was opened on: after the process execs
 * it writes into the old, dead image. Whoever keeps one must close it at exec (and when the
 * process is let go or dies). Not thread-safe: one owner thread.
 */
public final class ProcMemFile implements AutoCloseable {

    private final int pid;
    private int fd;
    /** The byte to write, in native memory allocated once per file rather than per write. */
    private final com.sun.jna.Memory one = new com.sun.jna.Memory(8);

    private ProcMemFile(int pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /**
     * Opens {@code /proc/PID/mem} for reading and writing.
     *
     * @throws NoSuchTaskException if the process is gone
     * @throws PermissionDeniedException if it may not be opened
     */
    public static ProcMemFile open(int pid) {
        String path = "/proc/" + pid + "/mem";
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw LinuxException.of(errno == Errno.ENOENT ? Errno.ESRCH : errno, "open(" + path + ")", pid);
        }
        return new ProcMemFile(pid, fd);
    }

    public int pid() {
        return pid;
    }

    /**
     * Writes one byte (FOLL_FORCE: read-only text too).
     *
     * @return false if the byte could not be written (unmapped address, process gone)
     */
    public boolean writeByte(long address, byte b) {
        if (fd < 0) {
            throw new IllegalStateException("/proc/" + pid + "/mem is closed");
        }
        one.setByte(0, b);
        while (true) {
            long n = LibC.pwrite(fd, one, 1, address);
            if (n == 1) {
                return true;
            }
            if (n < 0 && Native.getLastError() == Errno.EINTR) {
                continue;
            }
            return false;
        }
    }

    /**
     * Whether the address space this file was opened on still exists and has {@code address}
     * mapped: a read of one byte succeeds. After the process execs, the old space is gone and
     * reads return nothing.
     */
    public boolean canRead(long address) {
        return readByte(address) >= 0;
    }

    /** The byte at {@code address} (0 to 255), or -1 if it cannot be read (unmapped, the space gone). */
    public int readByte(long address) {
        if (fd < 0) {
            throw new IllegalStateException("/proc/" + pid + "/mem is closed");
        }
        while (true) {
            long n = LibC.pread(fd, one, 1, address);
            if (n < 0 && Native.getLastError() == Errno.EINTR) {
                continue;
            }
            return n == 1 ? one.getByte(0) & 0xff : -1;
        }
    }

    @Override
    public void close() {
        if (fd >= 0) {
            LibC.close(fd);
            fd = -1;
            one.close();
        }
    }
}
