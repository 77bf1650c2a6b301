package dev.multitrace.engines;

import dev.multitrace.core.LinuxNames;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Prints one syscall's arguments and result strace's way, from its {@link SyscallSignatures}
 * signature and the tracee's memory. Entry and exit are separate calls because the tracee runs
 * in between: what the kernel writes is only readable at exit.
 * <p>
 * Over 800 lines on purpose: one short method per argument kind strace prints (a struct stat, a
 * sigaction, an iovec array, a flags set...), reached from one switch on the kind's name. Split by
 * family, the pieces would all share the reader, the limits and the quoting, and a kind would no
 * longer be found from its name in one place.
 */
final class SyscallDecoder {

    static final int PATH_MAX = 4096;
    /** strace's limit on argv/array elements printed. */
    static final int MAX_ELEMENTS = 32;

    /** Where glibc's ucontext_t keeps uc_sigmask (flags, link, stack_t, mcontext_t before it). */
    private static final int UC_SIGMASK = 8 + 8 + 24 + 256;

    private final TargetMemory mem;
    private final long stackPointer;

    SyscallDecoder(TargetMemory mem, long stackPointer) {
        this.mem = mem;
        this.stackPointer = stackPointer;
    }

    /**
     * Appends {@code name(} and the arguments known at entry.
     *
     * @return the index of the first argument left for the exit, or the argument count if none
     */
    int entry(String name, long[] a, StringBuilder out) {
        out.append(name).append('(');
        if (name.equals("clone")) {
            clone(a, out);
            return 5;
        }
        if (name.equals("futex")) {
            return futex(a, out);
        }
        if (name.equals("fcntl")) {
            fcntl(a, out);
            return 3;
        }
        if (name.equals("clone3")) {
            out.append(cloneArgs(a[0], a[1]));
            return 1;
        }
        if (name.equals("rt_sigreturn")) {
            // The signal frame's ucontext is at the stack pointer (its return address was popped).
            ByteBuffer m = struct(stackPointer + UC_SIGMASK, 8);
            out.append("{mask=").append(m == null ? "?" : sigsetText(m.getLong(0))).append('}');
            return 0;
        }
        SyscallSignatures.Signature sig = SyscallSignatures.of(name);
        if (sig == null) {
            for (int i = 0; i < 6; i++) {
                sep(out, i).append(hex(a[i]));
            }
            return 6;
        }
        String[] kinds = sig.args();
        for (int i = 0; i < kinds.length; i++) {
            if (SyscallSignatures.isOut(kinds[i])) {
                // strace leaves ", " before an argument the kernel fills: "read(3, " ... "<unfinished ...>".
                if (i > 0) {
                    out.append(", ");
                }
                return i;
            }
            if (kinds[i].equals("m") && !createsFile(a[i - 1])) {
                return kinds.length;
            }
            sep(out, i).append(arg(kinds[i], a, i, 0, false));
        }
        return kinds.length;
    }

    /** Appends the arguments from {@code from} on (known now that the call returned) and {@code )}. */
    void exit(String name, long[] a, int from, long ret, StringBuilder out) {
        if (name.equals("clone3")) {
            // strace shows what the kernel wrote back: " => {parent_tid=[N]}".
            ByteBuffer args = struct(a[0], 32);
            if (!isError(ret) && args != null && (args.getLong(0) & LinuxFlags.CLONE_PARENT_SETTID) != 0) {
                ByteBuffer tid = struct(args.getLong(24), 4);
                if (tid != null) {
                    out.append(" => {parent_tid=[").append(tid.getInt(0)).append("]}");
                }
            }
            out.append(", ").append(Long.toUnsignedString(a[1])).append(')');
            return;
        }
        SyscallSignatures.Signature sig = SyscallSignatures.of(name);
        if (sig != null) {
            String[] kinds = sig.args();
            boolean failed = isError(ret);
            for (int i = from; i < kinds.length; i++) {
                if (kinds[i].equals("m") && !createsFile(a[i - 1])) {
                    break;
                }
                if (i > from) {
                    out.append(", ");
                }
                out.append(arg(kinds[i], a, i, ret, failed));
            }
        }
        out.append(')');
    }

    /** open's mode argument means something only when it may create a file. */
    private static boolean createsFile(long flags) {
        return (flags & LinuxFlags.O_CREAT) != 0 || (flags & LinuxFlags.O_TMPFILE) == LinuxFlags.O_TMPFILE;
    }

    /** As {@link #result(String, long)}, with the flags strace spells out after some results. */
    String result(String name, long[] args, long ret) {
        if (name.equals("poll") && !isError(ret) && args != null) {
            return ret == 0 ? "0 (Timeout)" : ret + " (" + pollfds(args[0], args[1], true) + ")";
        }
        if (name.equals("fcntl") && !isError(ret) && args != null) {
            if (args[1] == 1 && ret != 0) {
                return hex(ret) + " (flags " + (ret == 1 ? "FD_CLOEXEC" : hex(ret)) + ")";
            }
            if (args[1] == 3) {
                return hex(ret) + " (flags " + openFlags(ret) + ")";
            }
        }
        return result(name, ret);
    }

    /** The text after {@code = }: the value, or {@code -1 ENOENT (No such file or directory)}. */
    static String result(String name, long ret) {
        if (isError(ret)) {
            int e = (int) -ret;
            return switch (e) {
                case 512 -> "? ERESTARTSYS (To be restarted if SA_RESTART is set)";
                case 513 -> "? ERESTARTNOINTR (To be restarted)";
                case 514 -> "? ERESTARTNOHAND (To be restarted if no handler)";
                case 516 -> "? ERESTART_RESTARTBLOCK (Interrupted by signal)";
                default -> "-1 " + LinuxNames.errno(e) + " (" + LinuxNames.errnoDescription(e) + ")";
            };
        }
        SyscallSignatures.Signature sig = SyscallSignatures.of(name);
        String kind = sig == null ? "d" : sig.ret();
        return switch (kind) {
            case "x" -> hex(ret);
            case "o" -> octal(ret);
            default -> Long.toString(ret);
        };
    }

    /**
     * Whether the syscall still had arguments to print at its exit (a buffer, a struct the kernel
     * fills), having printed those before {@code from} at entry. strace marks a call cut short by
     * the task's exit with {@code <unfinished ...>} exactly then.
     */
    static boolean hasExitPart(String name, int from) {
        if (name.equals("clone3")) {
            return true;
        }
        if (name.equals("clone") || name.equals("fcntl") || name.equals("futex") || name.equals("rt_sigreturn")
                || name.equals("restart_syscall")) {
            return false;
        }
        SyscallSignatures.Signature sig = SyscallSignatures.of(name);
        return sig != null && from < sig.args().length;
    }

    /** Whether the syscall returns at all (exit, exit_group print {@code = ?}). */
    static boolean returns(String name) {
        SyscallSignatures.Signature sig = SyscallSignatures.of(name);
        return sig == null || !sig.ret().equals("?");
    }

    static boolean isError(long ret) {
        return ret < 0 && ret >= -4095;
    }

    private static StringBuilder sep(StringBuilder out, int i) {
        return i > 0 ? out.append(", ") : out;
    }

    private String arg(String kind, long[] a, int i, long ret, boolean failed) {
        long v = a[i];
        return switch (kind) {
            case "d", "f" -> Integer.toString((int) v);
            case "D" -> Long.toString(v);
            case "u" -> Long.toUnsignedString(v);
            case "x" -> hex(v);
            case "p" -> pointer(v);
            case "F" -> (int) v == LinuxFlags.AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v);
            case "s" -> path(v);
            case "S" -> string(v);
            case "b" -> buffer(v, a[i + 1]);
            case "B" -> failed ? pointer(v) : buffer(v, ret);
            case "Bx" -> failed ? pointer(v) : hexBuffer(v, ret);
            case "adv" -> LinuxFlags.lookup(LinuxFlags.MADVISE, v, "MADV_???");
            case "o", "m" -> octal(v);
            case "O" -> openFlags(v);
            case "Of" -> LinuxFlags.OPEN.format(v);
            case "proto" -> a[0] == 2 || a[0] == 10 ? LinuxFlags.IP_PROTOCOLS.getOrDefault(v, Long.toString(v)) : Long.toString(v);
            case "pfd" -> pollfds(v, a[i + 1], false);
            case "msg" -> LinuxFlags.MSG.format(v & 0xffffffffL);
            case "uts" -> failed ? pointer(v) : utsname(v);
            case "io" -> LinuxFlags.IOCTL.getOrDefault(v & 0xffffffffL, hex(v & 0xffffffffL));
            case "fadv" -> LinuxFlags.lookup(LinuxFlags.FADVISE, v, "POSIX_FADV_???");
            case "af" -> LinuxFlags.lookup(LinuxFlags.ADDRESS_FAMILIES, v, "AF_???");
            case "stype" -> socketType(v);
            case "sock" -> sockaddr(v, a[i + 1]);
            case "de" -> failed ? pointer(v) : dirents(v, ret);
            case "sxat" -> statxFlags(v);
            case "sxm" -> LinuxFlags.STATX_MASK.format(v & 0xffffffffL);
            case "stx" -> failed ? pointer(v) : statx(v);
            case "P" -> prot(v);
            case "M" -> mmapFlags(v);
            case "A" -> v == 0 ? "F_OK" : LinuxFlags.ACCESS.format(v);
            case "W" -> LinuxFlags.WAIT.format(v);
            case "ws" -> failed || ret == 0 ? pointer(v) : waitStatus(v);
            case "at" -> LinuxFlags.AT.format(v);
            case "wh" -> LinuxFlags.lookup(LinuxFlags.WHENCE, v, "SEEK_???");
            case "sig" -> v == 0 ? "0" : signalOrNumber((int) v);
            case "how" -> LinuxFlags.lookup(LinuxFlags.SIG_HOW, v, "SIG_???");
            case "sm" -> sigset(v, a[3]);
            case "smo" -> failed ? pointer(v) : sigset(v, a[3]);
            case "sa" -> sigaction(v);
            case "sao" -> failed ? pointer(v) : sigaction(v);
            case "st" -> failed ? pointer(v) : stat(v);
            case "pf" -> failed ? pointer(v) : pipeFds(v);
            case "rl" -> LinuxFlags.lookup(LinuxFlags.RLIMITS, v, "RLIMIT_???");
            case "rli" -> rlimit(v);
            case "rlo" -> failed ? pointer(v) : rlimit(v);
            case "ts" -> timespec(v);
            case "clk" -> LinuxFlags.lookup(LinuxFlags.CLOCKS, v, "CLOCK_???");
            case "fx" -> futexOp(v);
            case "ap" -> LinuxFlags.ARCH_PRCTL.getOrDefault(v, hex(v) + " /* ARCH_??? */");
            case "gr" -> LinuxFlags.GRND.format(v);
            case "av" -> argv(v);
            case "ev" -> environ(v);
            default -> throw new IllegalStateException("unknown argument kind " + kind);
        };
    }

    // ------------------------------------------------------------------ scalars

    static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    static String pointer(long v) {
        return v == 0 ? "NULL" : "0x" + Long.toHexString(v);
    }

    static String octal(long v) {
        String o = Long.toOctalString(v);
        return "0" + (o.length() < 2 ? "0".repeat(2 - o.length()) : "") + o;
    }

    private static String signalOrNumber(int sig) {
        return sig > 0 && sig <= 64 ? LinuxFlags.signal(sig) : Integer.toString(sig);
    }

    private static String openFlags(long v) {
        StringBuilder s = new StringBuilder(LinuxFlags.ACCESS_MODES[(int) (v & LinuxFlags.O_ACCMODE)]);
        long rest = LinuxFlags.OPEN.append(s, v & ~LinuxFlags.O_ACCMODE);
        if (rest != 0) {
            s.append("|0x").append(Long.toHexString(rest));
        }
        return s.toString();
    }

    private static String prot(long v) {
        if (v == 0) {
            return "PROT_NONE";
        }
        StringBuilder s = new StringBuilder();
        long rest = LinuxFlags.PROT.append(s, v);
        if (rest != 0) {
            FlagSet.sep(s).append("0x").append(Long.toHexString(rest)).append(" /* PROT_??? */");
        }
        return s.toString();
    }

    private static String mmapFlags(long v) {
        StringBuilder s = new StringBuilder(LinuxFlags.MAP_TYPES[(int) (v & 3)]);
        if ((v & 0xc) != 0) {
            s.append("|0x").append(Long.toHexString(v & 0xc));
        }
        long rest = LinuxFlags.MAP.append(s, v & ~0xfL & ~(0x3fL << 26));
        long huge = (v >>> 26) & 0x3f;
        if (huge != 0) {
            s.append('|').append(huge).append("<<MAP_HUGE_SHIFT");
        }
        if (rest != 0) {
            s.append("|0x").append(Long.toHexString(rest));
        }
        return s.toString();
    }

    private static String futexOp(long v) {
        int op = (int) v & 0x7f;
        StringBuilder s = new StringBuilder();
        if (op < LinuxFlags.FUTEX_OPS.length) {
            s.append(LinuxFlags.FUTEX_OPS[op]);
        } else {
            s.append(op);
        }
        if ((v & 128) != 0) {
            s.append("_PRIVATE");
        }
        if ((v & 256) != 0) {
            s.append("|FUTEX_CLOCK_REALTIME");
        }
        return s.toString();
    }

    // ------------------------------------------------------------------ memory

    private ByteBuffer struct(long address, int size) {
        if (address == 0) {
            return null;
        }
        byte[] b = mem.read(address, size);
        return b.length < size ? null : ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A NUL-terminated path, whole (up to PATH_MAX). */
    String path(long address) {
        if (address == 0) {
            return "NULL";
        }
        byte[] b = mem.read(address, PATH_MAX);
        int n = nul(b);
        if (n < 0) {
            return b.length == 0 ? pointer(address) : Quoting.quote(b, b.length, true);
        }
        return Quoting.quote(b, n, false);
    }

    /** A NUL-terminated string, cut at strace's 32 bytes. */
    String string(long address) {
        if (address == 0) {
            return "NULL";
        }
        byte[] b = mem.read(address, Quoting.MAX_STRLEN + 1);
        int n = nul(b);
        if (n < 0) {
            if (b.length == 0) {
                return pointer(address);
            }
            return Quoting.quote(b, Math.min(b.length, Quoting.MAX_STRLEN), true);
        }
        return Quoting.quote(b, n, false);
    }

    /** {@code length} bytes, cut at 32. */
    String buffer(long address, long length) {
        if (address == 0 && length != 0) {
            return "NULL";
        }
        int want = (int) Math.min(Math.max(length, 0), Quoting.MAX_STRLEN);
        byte[] b = want == 0 ? new byte[0] : mem.read(address, want);
        if (b.length < want) {
            return pointer(address);
        }
        return Quoting.quote(b, want, length > Quoting.MAX_STRLEN);
    }

    /** {@code length} bytes as {@code \xNN} escapes, cut at 32. */
    String hexBuffer(long address, long length) {
        int want = (int) Math.min(Math.max(length, 0), Quoting.MAX_STRLEN);
        byte[] b = want == 0 ? new byte[0] : mem.read(address, want);
        if (b.length < want) {
            return pointer(address);
        }
        StringBuilder s = new StringBuilder("\"");
        for (byte x : b) {
            s.append(String.format("\\x%02x", x & 0xff));
        }
        s.append('"');
        return length > Quoting.MAX_STRLEN ? s.append("...").toString() : s.toString();
    }

    private static int nul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private String argv(long address) {
        if (address == 0) {
            return "NULL";
        }
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; ; i++) {
            ByteBuffer p = struct(address + 8L * i, 8);
            if (p == null) {
                return pointer(address);
            }
            long str = p.getLong(0);
            if (str == 0) {
                break;
            }
            if (i > 0) {
                s.append(", ");
            }
            if (i == MAX_ELEMENTS) {
                s.append("...");
                break;
            }
            s.append(string(str));
        }
        return s.append(']').toString();
    }

    private String environ(long address) {
        if (address == 0) {
            return "NULL";
        }
        int n = 0;
        while (true) {
            ByteBuffer p = struct(address + 8L * n, 8);
            if (p == null || p.getLong(0) == 0) {
                break;
            }
            n++;
        }
        return pointer(address) + " /* " + n + " var" + (n == 1 ? "" : "s") + " */";
    }

    private String waitStatus(long address) {
        ByteBuffer b = struct(address, 4);
        if (b == null) {
            return pointer(address);
        }
        int st = b.getInt(0);
        int sig = st & 0x7f;
        String text;
        if (sig == 0) {
            text = "WIFEXITED(s) && WEXITSTATUS(s) == " + ((st >> 8) & 0xff);
        } else if (sig == 0x7f) {
            text = "WIFSTOPPED(s) && WSTOPSIG(s) == " + LinuxFlags.signal((st >> 8) & 0xff)
                    + ((st >> 16) != 0 ? " && s >> 16 == " + (st >> 16) : "");
        } else if (st == 0xffff) {
            text = "WIFCONTINUED(s)";
        } else {
            text = "WIFSIGNALED(s) && WTERMSIG(s) == " + LinuxFlags.signal(sig) + ((st & 0x80) != 0 ? " && WCOREDUMP(s)" : "");
        }
        return "[{" + text + "}]";
    }

    private String sigset(long address, long size) {
        if (address == 0) {
            return "NULL";
        }
        ByteBuffer b = struct(address, 8);
        if (b == null || size != 8) {
            return pointer(address);
        }
        return sigsetText(b.getLong(0));
    }

    /** {@code [INT TERM]}, or {@code ~[...]} listing the absent signals when most are present. */
    static String sigsetText(long mask) {
        boolean invert = Long.bitCount(mask) > 32;
        long m = invert ? ~mask : mask;
        StringBuilder s = new StringBuilder(invert ? "~[" : "[");
        for (int sig = 1; sig <= 64; sig++) {
            if ((m & (1L << (sig - 1))) != 0) {
                if (s.charAt(s.length() - 1) != '[') {
                    s.append(' ');
                }
                s.append(LinuxFlags.signal(sig).substring(3));
            }
        }
        return s.append(']').toString();
    }

    private String sigaction(long address) {
        ByteBuffer b = struct(address, 32);
        if (b == null) {
            return pointer(address);
        }
        long handler = b.getLong(0);
        long flags = b.getLong(8);
        long restorer = b.getLong(16);
        long mask = b.getLong(24);
        String h = handler == 0 ? "SIG_DFL" : handler == 1 ? "SIG_IGN" : hex(handler);
        StringBuilder s = new StringBuilder("{sa_handler=").append(h).append(", sa_mask=").append(sigsetText(mask))
                .append(", sa_flags=").append(LinuxFlags.SA.format(flags));
        if ((flags & LinuxFlags.SA_RESTORER) != 0) {
            s.append(", sa_restorer=").append(pointer(restorer));
        }
        return s.append('}').toString();
    }

    private String stat(long address) {
        ByteBuffer b = struct(address, 144);
        if (b == null) {
            return pointer(address);
        }
        int mode = b.getInt(24);
        long rdev = b.getLong(40);
        long size = b.getLong(48);
        int type = (mode >> 12) & 0xf;
        StringBuilder s = new StringBuilder("{st_mode=").append(modeText(mode));
        if (type == 2 || type == 6) {
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
            long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            s.append(", st_rdev=makedev(").append(hex(major)).append(", ").append(hex(minor)).append(')');
        } else {
            s.append(", st_size=").append(size);
        }
        return s.append(", ...}").toString();
    }

    /** {@code S_IFDIR|S_ISVTX|0777}: the file type, the set-id and sticky bits by name, the permissions. */
    static String modeText(int mode) {
        int type = (mode >> 12) & 0xf;
        String t = type < LinuxFlags.FILE_TYPES.length ? LinuxFlags.FILE_TYPES[type] : null;
        StringBuilder s = new StringBuilder(t != null ? t : "");
        LinuxFlags.MODE_SPECIAL.append(s, mode & 07000);
        return FlagSet.sep(s).append(octal(mode & 0777)).toString();
    }

    private String utsname(long address) {
        byte[] b = mem.read(address, 130);
        if (b.length < 130) {
            return pointer(address);
        }
        return "{sysname=" + Quoting.quote(b, Math.max(nul(b), 0), false) + ", nodename="
                + Quoting.quote(java.util.Arrays.copyOfRange(b, 65, 130), Math.max(nul(java.util.Arrays.copyOfRange(b, 65, 130)), 0), false)
                + ", ...}";
    }

    /**
     * A pollfd array: at entry the events asked for; after the call ({@code returned}) only the
     * entries with events, as strace prints them after the result.
     */
    String pollfds(long address, long count, boolean returned) {
        int n = (int) Math.min(Math.max(count, 0), MAX_ELEMENTS);
        byte[] b = n == 0 ? new byte[0] : mem.read(address, 8 * n);
        if (b.length < 8 * n) {
            return pointer(address);
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            int fd = bb.getInt(8 * i);
            int ev = bb.getShort(8 * i + (returned ? 6 : 4)) & 0xffff;
            if (returned && ev == 0) {
                continue;
            }
            if (s.length() > 1) {
                s.append(", ");
            }
            s.append("{fd=").append(fd).append(returned ? ", revents=" : ", events=").append(LinuxFlags.POLL.format(ev)).append('}');
        }
        if (count > MAX_ELEMENTS) {
            s.append(", ...");
        }
        return s.append(']').toString();
    }

    private String pipeFds(long address) {
        ByteBuffer b = struct(address, 8);
        return b == null ? pointer(address) : "[" + b.getInt(0) + ", " + b.getInt(4) + "]";
    }

    private String rlimit(long address) {
        ByteBuffer b = struct(address, 16);
        if (b == null) {
            return pointer(address);
        }
        return "{rlim_cur=" + rlim(b.getLong(0)) + ", rlim_max=" + rlim(b.getLong(8)) + "}";
    }

    private static String rlim(long v) {
        if (v == -1) {
            return "RLIM64_INFINITY";
        }
        return v != 0 && v % 1024 == 0 ? (v / 1024) + "*1024" : Long.toUnsignedString(v);
    }

    private String timespec(long address) {
        ByteBuffer b = struct(address, 16);
        if (b == null) {
            return pointer(address);
        }
        return "{tv_sec=" + b.getLong(0) + ", tv_nsec=" + b.getLong(8) + "}";
    }

    /** futex(uaddr, op, val, timeout|val2, uaddr2, val3): the arguments each operation reads. */
    private int futex(long[] a, StringBuilder out) {
        int cmd = (int) a[1] & 0x7f;
        out.append(pointer(a[0])).append(", ").append(futexOp(a[1]));
        switch (cmd) {
            case 0 -> out.append(", ").append((int) a[2]).append(", ").append(timespec(a[3]));
            case 1, 2 -> out.append(", ").append((int) a[2]);
            case 3 -> out.append(", ").append((int) a[2]).append(", ").append((int) a[3]).append(", ").append(pointer(a[4]));
            case 4 -> out.append(", ").append((int) a[2]).append(", ").append((int) a[3]).append(", ")
                    .append(pointer(a[4])).append(", ").append((int) a[5]);
            case 7 -> {
                // FUTEX_UNLOCK_PI reads nothing more
            }
            case 9, 10 -> out.append(", ").append((int) a[2]).append(", ").append(timespec(a[3])).append(", ")
                    .append((a[5] & 0xffffffffL) == 0xffffffffL ? "FUTEX_BITSET_MATCH_ANY" : hex(a[5] & 0xffffffffL));
            default -> {
                for (int i = 2; i < 6; i++) {
                    out.append(", ").append(hex(a[i]));
                }
            }
        }
        return 6;
    }

    private static String socketType(long v) {
        StringBuilder s = new StringBuilder(LinuxFlags.lookup(LinuxFlags.SOCKET_TYPES, v & 0xf, "SOCK_???"));
        long rest = LinuxFlags.SOCKET_FLAGS.append(s, v & ~0xfL);
        if (rest != 0) {
            s.append("|0x").append(Long.toHexString(rest));
        }
        return s.toString();
    }

    /** struct sockaddr of {@code length} bytes: unix paths, IPv4 and IPv6 addresses as strace spells them. */
    private String sockaddr(long address, long length) {
        if (address == 0) {
            return "NULL";
        }
        int len = (int) Math.min(Math.max(length, 0), 128);
        byte[] b = len < 2 ? new byte[0] : mem.read(address, len);
        if (b.length < 2) {
            return pointer(address);
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int family = bb.getShort(0) & 0xffff;
        StringBuilder s = new StringBuilder("{sa_family=").append(LinuxFlags.lookup(LinuxFlags.ADDRESS_FAMILIES, family, "AF_???"));
        if (family == 1 && b.length > 2) {
            boolean abstractName = b[2] == 0;
            int start = abstractName ? 3 : 2;
            int end = start;
            while (end < b.length && (abstractName || b[end] != 0)) {
                end++;
            }
            s.append(", sun_path=").append(abstractName ? "@" : "")
                    .append(Quoting.quote(java.util.Arrays.copyOfRange(b, start, end), end - start, false));
        } else if (family == 2 && b.length >= 8) {
            int port = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            s.append(", sin_port=htons(").append(port).append("), sin_addr=inet_addr(\"")
                    .append(b[4] & 0xff).append('.').append(b[5] & 0xff).append('.').append(b[6] & 0xff).append('.')
                    .append(b[7] & 0xff).append("\")");
        } else if (family == 10 && b.length >= 28) {
            int port = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            String addr;
            try {
                addr = java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 8, 24)).getHostAddress();
                addr = java.net.Inet6Address.class.isInstance(java.net.InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 8, 24)))
                        ? compressIpv6(java.util.Arrays.copyOfRange(b, 8, 24)) : "::ffff:" + addr;
            } catch (java.net.UnknownHostException e) {
                addr = "?";
            }
            s.append(", sin6_port=htons(").append(port).append("), sin6_flowinfo=htonl(")
                    .append(Integer.toUnsignedString(ByteBuffer.wrap(b, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt()))
                    .append("), inet_pton(AF_INET6, \"").append(addr).append("\", &sin6_addr), sin6_scope_id=")
                    .append(Integer.toUnsignedString(bb.getInt(24)));
        }
        return s.append('}').toString();
    }

    /** An IPv6 address as inet_ntop writes it: the longest run of zero groups as "::". */
    static String compressIpv6(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    /** getdents64's buffer after the call: its address and how many entries the kernel wrote. */
    private String dirents(long address, long length) {
        byte[] b = mem.read(address, (int) Math.min(length, 1 << 20));
        if (b.length < length) {
            return pointer(address);
        }
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int n = 0;
        for (int off = 0; off + 19 <= b.length; n++) {
            int reclen = bb.getShort(off + 16) & 0xffff;
            if (reclen == 0) {
                break;
            }
            off += reclen;
        }
        return pointer(address) + " /* " + n + " entr" + (n == 1 ? "y" : "ies") + " */";
    }

    private static String statxFlags(long v) {
        StringBuilder s = new StringBuilder(LinuxFlags.lookup(LinuxFlags.STATX_SYNC, (v >> 13) & 3, "AT_STATX_???"));
        long rest = LinuxFlags.AT.append(s, v & ~0x6000L);
        if (rest != 0) {
            s.append("|0x").append(Long.toHexString(rest));
        }
        return s.toString();
    }

    private String statx(long address) {
        ByteBuffer b = struct(address, 256);
        if (b == null) {
            return pointer(address);
        }
        long mask = b.getInt(0) & 0xffffffffL;
        long attributes = b.getLong(8);
        int mode = b.getShort(28) & 0xffff;
        long size = b.getLong(40);
        return "{stx_mask=" + LinuxFlags.STATX_MASK.format(mask) + ", stx_attributes="
                + LinuxFlags.STATX_ATTRIBUTES.format(attributes) + ", stx_mode=" + modeText(mode)
                + ", stx_size=" + size + ", ...}";
    }

    /** fcntl(fd, cmd, arg): the argument printed as the command reads it, or left out where it reads none. */
    private static void fcntl(long[] a, StringBuilder out) {
        long cmd = a[1];
        out.append((int) a[0]).append(", ").append(LinuxFlags.FCNTL.getOrDefault(cmd, hex(cmd) + " /* F_??? */"));
        switch ((int) cmd) {
            case 1, 3, 9, 11, 1032, 1034 -> {
                // F_GETFD, F_GETFL, F_GETOWN, F_GETSIG, F_GETPIPE_SZ, F_GET_SEALS: no argument
            }
            case 2 -> out.append(", ").append(a[2] == 1 ? "FD_CLOEXEC" : hex(a[2]));
            case 4 -> out.append(", ").append(openFlags(a[2]));
            case 5, 6, 7, 36, 37, 38 -> out.append(", ").append(pointer(a[2]));
            default -> out.append(", ").append((int) a[2]);
        }
    }

    /** clone3's struct clone_args, the fields strace prints for its flags. */
    private String cloneArgs(long address, long size) {
        ByteBuffer b = size >= 64 ? struct(address, 64) : null;
        if (b == null) {
            return pointer(address);
        }
        long flags = b.getLong(0);
        StringBuilder s = new StringBuilder("{flags=").append(LinuxFlags.CLONE.format(flags));
        if ((flags & LinuxFlags.CLONE_PIDFD) != 0) {
            s.append(", pidfd=").append(pointer(b.getLong(8)));
        }
        if ((flags & (LinuxFlags.CLONE_CHILD_SETTID | LinuxFlags.CLONE_CHILD_CLEARTID)) != 0) {
            s.append(", child_tid=").append(pointer(b.getLong(16)));
        }
        if ((flags & LinuxFlags.CLONE_PARENT_SETTID) != 0) {
            s.append(", parent_tid=").append(pointer(b.getLong(24)));
        }
        long exitSignal = b.getLong(32);
        s.append(", exit_signal=").append(exitSignal == 0 ? "0" : signalOrNumber((int) exitSignal));
        s.append(", stack=").append(pointer(b.getLong(40))).append(", stack_size=").append(hex(b.getLong(48)));
        if ((flags & LinuxFlags.CLONE_SETTLS) != 0) {
            s.append(", tls=").append(pointer(b.getLong(56)));
        }
        return s.append('}').toString();
    }

    /** clone(flags, stack, parent_tid, child_tid, tls) printed as strace names its fields. */
    private void clone(long[] a, StringBuilder out) {
        long flags = a[0];
        out.append("child_stack=").append(pointer(a[1])).append(", flags=");
        StringBuilder f = new StringBuilder();
        long rest = LinuxFlags.CLONE.append(f, flags & ~0xffL);
        if (rest != 0) {
            FlagSet.sep(f).append("0x").append(Long.toHexString(rest));
        }
        int sig = (int) (flags & 0xff);
        if (sig != 0) {
            FlagSet.sep(f).append(signalOrNumber(sig));
        }
        out.append(f.isEmpty() ? "0" : f);
        if ((flags & LinuxFlags.CLONE_PARENT_SETTID) != 0) {
            out.append(", parent_tid=").append(pointer(a[2]));
        }
        if ((flags & LinuxFlags.CLONE_SETTLS) != 0) {
            out.append(", tls=").append(pointer(a[4]));
        }
        if ((flags & (LinuxFlags.CLONE_CHILD_SETTID | LinuxFlags.CLONE_CHILD_CLEARTID)) != 0) {
            out.append(", child_tidptr=").append(pointer(a[3]));
        }
    }
}
