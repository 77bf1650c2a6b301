package dev.multitrace.linux;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Reading and writing another process's memory.
 *
 * <p>Three mechanisms, fastest first:
 * <ol>
 * <li>{@code process_vm_readv/writev}: one syscall for any amount, no tracee stop needed
 *     (measured 6 GiB/s against 20 MiB/s for PEEKDATA). It honours page protections,
 *     so it cannot write read-only text nor read PROT_NONE/execute-only pages.</li>
 * <li>{@code /proc/PID/mem} with {@code pread/pwrite}: the kernel uses FOLL_FORCE like
 *     ptrace does, so it can write an {@code int3} into read-only text. The file is opened
 *     per call on purpose: an open fd stays bound to the address space it was opened on,
 *     and after an exec would silently read the old, dead image.</li>
 * <li>PTRACE_PEEKDATA/POKEDATA, word by word: needs the task traced by this thread and
 *     stopped; the last resort when /proc is unavailable.</li>
 * </ol>
 * {@link #read} and {@link #write} try them in that order and return how many bytes were
 * transferred; a short count means the next address is not accessible at all.
 */
public final class Memory {

    private Memory() {
    }

    // --- combined ---------------------------------------------------------------------

    /**
     * Reads up to {@code len} bytes at {@code addr}, falling back from process_vm_readv to
     * /proc/PID/mem to PEEKDATA for whatever the faster method could not read.
     *
     * @return bytes read, from 0 (nothing readable at {@code addr}) to {@code len}
     * @throws NoSuchTaskException if the process is gone
     */
    public static int read(int pid, long addr, byte[] dst, int off, int len) {
        int n = readVm(pid, addr, dst, off, len);
        if (n < len) {
            n += readProcMemQuiet(pid, addr + n, dst, off + n, len - n);
        }
        if (n < len) {
            n += peekRead(pid, addr + n, dst, off + n, len - n);
        }
        return n;
    }

    /** Reads exactly {@code len} bytes or throws {@link LinuxException} (EFAULT). */
    public static byte[] readFully(int pid, long addr, int len) {
        byte[] b = new byte[len];
        int n = read(pid, addr, b, 0, len);
        if (n != len) {
            throw new LinuxException(Errno.EFAULT, op("read", pid, addr + n),
                    "only " + n + " of " + len + " bytes readable");
        }
        return b;
    }

    /** Reads a native-endian 64-bit word; throws {@link LinuxException} (EFAULT) if unreadable. */
    public static long readLong(int pid, long addr) {
        byte[] b = readFully(pid, addr, 8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    /**
     * Writes {@code len} bytes at {@code addr}, falling back from process_vm_writev to
     * /proc/PID/mem (which can write read-only text) to POKEDATA.
     *
     * @return bytes written; less than {@code len} if the next address is not mapped
     */
    public static int write(int pid, long addr, byte[] src, int off, int len) {
        int n = writeVm(pid, addr, src, off, len);
        if (n < len) {
            n += writeProcMemQuiet(pid, addr + n, src, off + n, len - n);
        }
        if (n < len) {
            n += pokeWrite(pid, addr + n, src, off + n, len - n);
        }
        return n;
    }

    // --- process_vm_readv / writev ---------------------------------------------------

    /**
     * process_vm_readv into a Java array, through a reused per-thread native buffer of up
     * to 8 MiB (one syscall per 8 MiB; the copy to the heap runs at memcpy speed).
     *
     * @return bytes read; short at the first inaccessible page; 0 if {@code addr} itself is
     *         inaccessible or the call is not permitted (EFAULT, EPERM, EACCES, ENOSYS)
     * @throws NoSuchTaskException if the process is gone
     */
    public static int readVm(int pid, long addr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        Scratch s = Scratch.get();
        int done = 0;
        while (done < len) {
            com.sun.jna.Memory buf = s.bulk(len - done);
            int chunk = (int) Math.min(len - done, buf.size());
            long n = vm(false, pid, addr + done, buf, chunk, s.small);
            if (n <= 0) {
                break;
            }
            buf.read(0, dst, off + done, (int) n);
            done += (int) n;
            if (n < chunk) {
                break;
            }
        }
        return done;
    }

    /**
     * process_vm_readv straight into native memory: one syscall, no copy. The fastest path
     * for large reads.
     *
     * @return bytes read, as for {@link #readVm(int, long, byte[], int, int)}
     */
    public static long readVm(int pid, long addr, Pointer dst, long len) {
        return vm(false, pid, addr, dst, len, Scratch.get().small);
    }

    /**
     * process_vm_readv straight into a direct buffer, at index {@code off} (its position is not
     * changed): one syscall, no copy.
     *
     * @return bytes read, as for {@link #readVm(int, long, byte[], int, int)}
     * @throws IllegalArgumentException if the buffer is not direct
     */
    public static long readVm(int pid, long addr, java.nio.ByteBuffer dst, int off, long len) {
        if (!dst.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        java.util.Objects.checkFromIndexSize(off, len, dst.capacity());
        return readVm(pid, addr, Native.getDirectBufferPointer(dst).share(off), len);
    }

    /** process_vm_writev from a Java array; same results as {@link #readVm(int, long, byte[], int, int)}. */
    public static int writeVm(int pid, long addr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        Scratch s = Scratch.get();
        int done = 0;
        while (done < len) {
            com.sun.jna.Memory buf = s.bulk(len - done);
            int chunk = (int) Math.min(len - done, buf.size());
            buf.write(0, src, off + done, chunk);
            long n = vm(true, pid, addr + done, buf, chunk, s.small);
            if (n <= 0) {
                break;
            }
            done += (int) n;
            if (n < chunk) {
                break;
            }
        }
        return done;
    }

    /** process_vm_writev from native memory. */
    public static long writeVm(int pid, long addr, Pointer src, long len) {
        return vm(true, pid, addr, src, len, Scratch.get().small);
    }

    private static long vm(boolean write, int pid, long addr, Pointer local, long len, com.sun.jna.Memory iov) {
        if (len == 0) {
            return 0;
        }
        iov.setLong(0, Pointer.nativeValue(local));
        iov.setLong(8, len);
        iov.setLong(16, addr);
        iov.setLong(24, len);
        Pointer remote = iov.share(16);
        long n = write ? LibC.process_vm_writev(pid, iov, 1, remote, 1, 0)
                : LibC.process_vm_readv(pid, iov, 1, remote, 1, 0);
        if (n >= 0) {
            return n;
        }
        int errno = Native.getLastError();
        return switch (errno) {
            case Errno.EFAULT, Errno.EPERM, Errno.EACCES, Errno.ENOSYS, Errno.EIO -> 0;
            default -> throw LinuxException.of(errno, op(write ? "process_vm_writev" : "process_vm_readv", pid, addr),
                    pid);
        };
    }

    // --- /proc/PID/mem ---------------------------------------------------------------

    /**
     * Reads through {@code pread} on /proc/PID/mem (FOLL_FORCE: also PROT_NONE pages).
     *
     * @return bytes read; short at the first unmapped page
     * @throws NoSuchTaskException if the process is gone
     * @throws PermissionDeniedException if /proc/PID/mem may not be opened
     */
    public static int readProcMem(int pid, long addr, byte[] dst, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        int fd = openMem(pid, LibC.O_RDONLY);
        try {
            Scratch s = Scratch.get();
            int done = 0;
            while (done < len) {
                com.sun.jna.Memory buf = s.bulk(len - done);
                int chunk = (int) Math.min(len - done, buf.size());
                long n = LibC.pread(fd, buf, chunk, addr + done);
                if (n < 0 && Native.getLastError() == Errno.EINTR) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                buf.read(0, dst, off + done, (int) n);
                done += (int) n;
            }
            return done;
        } finally {
            LibC.close(fd);
        }
    }

    /**
     * Writes through {@code pwrite} on /proc/PID/mem. Unlike process_vm_writev this writes
     * read-only mappings (text), so it is how breakpoint bytes are planted; the kernel
     * breaks copy-on-write so the file on disk and other processes are untouched.
     *
     * @return bytes written; short at the first unmapped page
     */
    public static int writeProcMem(int pid, long addr, byte[] src, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        int fd = openMem(pid, LibC.O_RDWR);
        try {
            Scratch s = Scratch.get();
            int done = 0;
            while (done < len) {
                com.sun.jna.Memory buf = s.bulk(len - done);
                int chunk = (int) Math.min(len - done, buf.size());
                buf.write(0, src, off + done, chunk);
                long n = LibC.pwrite(fd, buf, chunk, addr + done);
                if (n < 0 && Native.getLastError() == Errno.EINTR) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                done += (int) n;
            }
            return done;
        } finally {
            LibC.close(fd);
        }
    }

    /** Writes all of {@code bytes} at {@code addr} through /proc/PID/mem, or throws (EFAULT). */
    public static void writeProcMem(int pid, long addr, byte[] bytes) {
        int n = writeProcMem(pid, addr, bytes, 0, bytes.length);
        if (n != bytes.length) {
            throw new LinuxException(Errno.EFAULT, op("pwrite /proc/" + pid + "/mem", pid, addr + n),
                    "only " + n + " of " + bytes.length + " bytes writable");
        }
    }

    private static int readProcMemQuiet(int pid, long addr, byte[] dst, int off, int len) {
        try {
            return readProcMem(pid, addr, dst, off, len);
        } catch (NoSuchTaskException e) {
            throw e;
        } catch (LinuxException e) {
            return 0;
        }
    }

    private static int writeProcMemQuiet(int pid, long addr, byte[] src, int off, int len) {
        try {
            return writeProcMem(pid, addr, src, off, len);
        } catch (NoSuchTaskException e) {
            throw e;
        } catch (LinuxException e) {
            return 0;
        }
    }

    private static int openMem(int pid, int mode) {
        String path = "/proc/" + pid + "/mem";
        int fd = LibC.open(path, mode | LibC.O_CLOEXEC, 0);
        if (fd < 0) {
            int errno = Native.getLastError();
            throw LinuxException.of(errno == Errno.ENOENT ? Errno.ESRCH : errno, "open(" + path + ")", pid);
        }
        return fd;
    }

    // --- PEEKDATA / POKEDATA -----------------------------------------------------------

    /**
     * Reads word by word with PTRACE_PEEKDATA (the task must be a stopped tracee of this
     * thread). Slow (one syscall per 8 bytes): a fallback only.
     *
     * @return bytes read before the first failing word
     */
    public static int peekRead(int pid, long addr, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            long a = addr + done;
            long aligned = a & ~7L;
            long word;
            try {
                word = Ptrace.peekData(pid, aligned);
            } catch (LinuxException e) {
                break;
            }
            for (int i = (int) (a - aligned); i < 8 && done < len; i++) {
                dst[off + done++] = (byte) (word >>> (8 * i));
            }
        }
        return done;
    }

    /**
     * Writes word by word with PTRACE_POKEDATA, read-modify-write for partial words (the
     * task must be a stopped tracee of this thread).
     *
     * @return bytes written before the first failing word
     */
    public static int pokeWrite(int pid, long addr, byte[] src, int off, int len) {
        int done = 0;
        try {
            while (done < len) {
                long a = addr + done;
                long aligned = a & ~7L;
                int first = (int) (a - aligned);
                int count = Math.min(8 - first, len - done);
                long word = (first == 0 && count == 8) ? 0 : Ptrace.peekData(pid, aligned);
                for (int i = 0; i < count; i++) {
                    int shift = 8 * (first + i);
                    word = (word & ~(0xffL << shift)) | ((src[off + done + i] & 0xffL) << shift);
                }
                Ptrace.pokeData(pid, aligned, word);
                done += count;
            }
        } catch (LinuxException e) {
            // stop at the first word we cannot access
        }
        return done;
    }

    private static String op(String call, int pid, long addr) {
        return call + "(" + pid + ", 0x" + Long.toHexString(addr) + ")";
    }
}
