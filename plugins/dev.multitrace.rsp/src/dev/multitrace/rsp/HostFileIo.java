package dev.multitrace.rsp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * gdbserver's host I/O: the {@code vFile:} packets through which gdb reads the target's
 * executable, libraries and /proc files ({@code set sysroot target:}, {@code info proc},
 * {@code remote get/put}). Replies are {@code F<result>[,<errno>][;<binary data>]}, numbers in hex,
 * errno values in gdb's File-I/O numbering (not the host's), open flags and modes likewise.
 * A malformed packet gets {@code F-1,EINVAL} as from gdbserver; an unknown vFile operation the
 * empty reply (unsupported), so gdb falls back as it would with an older gdbserver. Nothing is
 * announced in qSupported: gdb probes each vFile operation on first use, and gdbserver announces
 * none of them either.
 * <p>
 * Plain Java file I/O, no ptrace and no JNA: the stub runs as the same user as gdbserver would.
 * {@code vFile:setfs:PID} makes later paths resolve in that process's mount namespace: when it is
 * not ours, through the kernel's {@code /proc/PID/root} (an absolute symlink met while walking such
 * a path is resolved from our root, not the process's: a limit that setns would not have).
 * <p>
 * Only the session's protocol thread calls this (see {@link RemoteSession}), so nothing is locked.
 */
final class HostFileIo {

    // gdb's File-I/O errno values (gdb/fileio.h), which the reply carries whatever the host's are.
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EACCES = 13;
    static final int EFAULT = 14;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int ESPIPE = 29;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 91;
    static final int EUNKNOWN = 9999;

    // gdb's File-I/O open flags.
    private static final int O_WRONLY = 0x1;
    private static final int O_RDWR = 0x2;
    private static final int O_APPEND = 0x8;
    private static final int O_CREAT = 0x200;
    private static final int O_TRUNC = 0x400;
    private static final int O_EXCL = 0x800;
    private static final int O_SUPPORTED = O_WRONLY | O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_EXCL;

    /** Our reply buffer: a pread reply, escapes included, never exceeds the packet size we announce. */
    private final int maxReply;

    /** How the JDK maps file names to bytes: gdb's names are bytes, and must round-trip. */
    private static final Charset NAMES = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));

    private record OpenFile(FileChannel channel, Path path) {
    }

    private final Map<Integer, OpenFile> files = new HashMap<>();
    private int nextFd = 3;
    /** vFile:setfs: 0 means the server's own file system. */
    private int fsPid;

    HostFileIo(int maxReply) {
        this.maxReply = maxReply;
    }

    /** A File-I/O failure: the errno to send back. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int errno;

        Failure(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }

    /**
     * Answers one {@code vFile:} packet (its raw bytes: pwrite data and file names are binary).
     * Returns the reply's bytes, empty for an operation we do not know.
     */
    byte[] handle(byte[] packet) {
        String text = new String(packet, java.nio.charset.StandardCharsets.ISO_8859_1);
        int colon = text.indexOf(':', 6);
        String op = colon < 0 ? text.substring(6) : text.substring(6, colon);
        String args = colon < 0 ? "" : text.substring(colon + 1);
        try {
            return switch (op) {
                case "setfs" -> setfs(args);
                case "open" -> open(args);
                case "pread" -> pread(args);
                case "pwrite" -> pwrite(packet, colon + 1);
                case "close" -> close(args);
                case "fstat" -> fstat(args);
                case "unlink" -> unlink(args);
                case "readlink" -> readlink(args);
                default -> new byte[0];
            };
        } catch (Failure f) {
            return ascii("F-1," + Integer.toHexString(f.errno));
        } catch (IllegalArgumentException | IndexOutOfBoundsException malformed) {
            return ascii("F-1," + Integer.toHexString(EINVAL));
        }
    }

    /** Closes what the client left open (the session ended). */
    void closeAll() {
        for (OpenFile f : files.values()) {
            try {
                f.channel.close();
            } catch (IOException ignored) {
                // Closing a file we only read or wrote: nothing is lost that the client still wants.
            }
        }
        files.clear();
    }

    // ------------------------------------------------------------------ operations

    /** As gdbserver: always accepted; a process that is gone makes the next path fail (ENOENT). */
    private byte[] setfs(String args) {
        fsPid = intArg(args);
        return ascii("F0");
    }

    private byte[] open(String args) throws Failure {
        String[] a = args.split(",", -1);
        if (a.length != 3) {
            throw new IllegalArgumentException("vFile:open needs name,flags,mode");
        }
        Path path = path(a[0]);
        int flags = intArg(a[1]);
        int mode = intArg(a[2]);
        if ((flags & ~O_SUPPORTED) != 0 || (flags & (O_WRONLY | O_RDWR)) == (O_WRONLY | O_RDWR)) {
            throw new Failure(EINVAL);
        }
        Set<OpenOption> options = new HashSet<>();
        if ((flags & O_WRONLY) != 0) {
            options.add(StandardOpenOption.WRITE);
        } else if ((flags & O_RDWR) != 0) {
            options.add(StandardOpenOption.READ);
            options.add(StandardOpenOption.WRITE);
        } else {
            options.add(StandardOpenOption.READ);
        }
        if ((flags & O_APPEND) != 0) {
            if (!options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.READ)) {
                throw new Failure(EINVAL); // the JDK cannot append while reading
            }
            options.add(StandardOpenOption.APPEND);
        }
        if ((flags & O_CREAT) != 0) {
            options.add((flags & O_EXCL) != 0 ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
        }
        if ((flags & O_TRUNC) != 0) {
            options.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        try {
            FileChannel ch;
            if ((flags & O_CREAT) != 0) {
                // As open(2): the mode applies to a file it creates, the umask still applies.
                Set<PosixFilePermission> perms = PosixFilePermissions.fromString(rwx(mode & 0777));
                ch = FileChannel.open(path, options, PosixFilePermissions.asFileAttribute(perms));
            } else {
                ch = FileChannel.open(path, options);
            }
            int fd = nextFd++;
            files.put(fd, new OpenFile(ch, path));
            return ascii("F" + Integer.toHexString(fd));
        } catch (IOException | UnsupportedOperationException e) {
            throw failure(e);
        }
    }

    private byte[] pread(String args) throws Failure {
        String[] a = args.split(",", -1);
        if (a.length != 3) {
            throw new IllegalArgumentException("vFile:pread needs fd,count,offset");
        }
        long count = Hex.parse(a[1]);
        long offset = Hex.parse(a[2]);
        OpenFile f = file(a[0]);
        if (count < 0 || count > Integer.MAX_VALUE || offset < 0) {
            throw new Failure(EINVAL); // does not fit the C types gdbserver parses them into
        }
        // As gdbserver: read at most what a reply can carry; gdb asks again for the rest.
        int want = (int) Math.min(count, maxReply);
        ByteBuffer buf = ByteBuffer.allocate(want);
        try {
            while (buf.hasRemaining()) {
                int n = f.channel.read(buf, offset + buf.position());
                if (n <= 0) {
                    break;
                }
            }
        } catch (IOException | java.nio.channels.NonReadableChannelException e) {
            throw failure(e);
        }
        byte[] data = Arrays.copyOf(buf.array(), fitting(buf.array(), buf.position()));
        return withData("F" + Integer.toHexString(data.length) + ";", data);
    }

    private byte[] pwrite(byte[] packet, int start) throws Failure {
        // fd,offset, then the binary data (which may contain commas): split on the first two only.
        int c1 = indexOf(packet, ',', start);
        int c2 = c1 < 0 ? -1 : indexOf(packet, ',', c1 + 1);
        if (c2 < 0) {
            throw new IllegalArgumentException("vFile:pwrite needs fd,offset,data");
        }
        long offset = Hex.parse(ascii(packet, c1 + 1, c2));
        OpenFile f = file(ascii(packet, start, c1));
        if (offset < 0) {
            throw new Failure(EINVAL);
        }
        ByteBuffer data = ByteBuffer.wrap(packet, c2 + 1, packet.length - c2 - 1);
        try {
            int written = 0;
            while (data.hasRemaining()) {
                written += f.channel.write(data, offset + written);
            }
            return ascii("F" + Integer.toHexString(written));
        } catch (IOException | java.nio.channels.NonWritableChannelException e) {
            throw failure(e);
        }
    }

    private byte[] close(String args) throws Failure {
        OpenFile f = files.remove(intArg(args));
        if (f == null) {
            throw new Failure(EBADF);
        }
        try {
            f.channel.close();
        } catch (IOException e) {
            throw failure(e);
        }
        return ascii("F0");
    }

    private byte[] fstat(String args) throws Failure {
        OpenFile f = file(args);
        Map<String, Object> st;
        try {
            // The file the descriptor was opened on; if it was renamed or removed since, the stat fails.
            st = Files.readAttributes(f.path, "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime");
        } catch (IOException | UnsupportedOperationException e) {
            throw failure(e);
        }
        long size = (Long) st.get("size");
        ByteBuffer b = ByteBuffer.allocate(64); // gdb's struct stat: big-endian, 64 bytes
        b.putInt((int) (long) (Long) st.get("dev"));
        b.putInt((int) (long) (Long) st.get("ino"));
        b.putInt((Integer) st.get("mode"));
        b.putInt((Integer) st.get("nlink"));
        b.putInt((Integer) st.get("uid"));
        b.putInt((Integer) st.get("gid"));
        b.putInt((int) (long) (Long) st.get("rdev"));
        b.putLong(size);
        // The JDK does not expose st_blksize/st_blocks; gdb does not use them. The page size and
        // the 512-byte blocks the size needs are what a regular file on the usual file systems shows.
        b.putLong(4096);
        b.putLong((size + 511) / 512);
        b.putInt(seconds(st.get("lastAccessTime")));
        b.putInt(seconds(st.get("lastModifiedTime")));
        b.putInt(seconds(st.get("ctime")));
        return withData("F40;", b.array());
    }

    private byte[] unlink(String args) throws Failure {
        Path path = path(args);
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new Failure(EISDIR); // unlink(2) never removes a directory; Files.delete would
            }
            Files.delete(path);
            return ascii("F0");
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private byte[] readlink(String args) throws Failure {
        Path path = path(args);
        try {
            byte[] target = Files.readSymbolicLink(path).toString().getBytes(NAMES);
            return withData("F" + Integer.toHexString(target.length) + ";", target);
        } catch (IOException | UnsupportedOperationException e) {
            throw failure(e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private OpenFile file(String fdText) throws Failure {
        OpenFile f = files.get(intArg(fdText));
        if (f == null) {
            throw new Failure(EBADF);
        }
        return f;
    }

    /** A hex-encoded file name, resolved in the file system vFile:setfs chose. */
    private Path path(String hexName) throws Failure {
        String name = new String(Hex.decode(hexName), NAMES);
        if (name.isEmpty()) {
            throw new Failure(ENOENT);
        }
        if (name.indexOf('\0') >= 0) {
            throw new Failure(EINVAL);
        }
        try {
            if (fsPid == 0 || sameMountNamespace(fsPid)) {
                return Path.of(name);
            }
            // Another mount namespace: its root, as the kernel shows it to us.
            return Path.of("/proc/" + fsPid + "/root", name.startsWith("/") ? name.substring(1) : name);
        } catch (InvalidPathException e) {
            throw new Failure(EINVAL);
        }
    }

    private static boolean sameMountNamespace(int pid) throws Failure {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")));
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private static int intArg(String hex) {
        long v = Hex.parse(hex);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not an int: " + hex);
        }
        return (int) v;
    }

    /** gdb's errno for a JDK I/O exception (the JDK keeps strerror's text as the reason). */
    static Failure failure(Exception e) {
        if (e instanceof NoSuchFileException) {
            return new Failure(ENOENT);
        }
        if (e instanceof AccessDeniedException) {
            return new Failure(EACCES);
        }
        if (e instanceof FileAlreadyExistsException) {
            return new Failure(EEXIST);
        }
        if (e instanceof NotDirectoryException) {
            return new Failure(ENOTDIR);
        }
        if (e instanceof NotLinkException) {
            return new Failure(EINVAL); // readlink(2) on something that is not a link
        }
        if (e instanceof DirectoryNotEmptyException) {
            return new Failure(EUNKNOWN); // File-I/O has no ENOTEMPTY
        }
        if (e instanceof java.nio.channels.NonReadableChannelException
                || e instanceof java.nio.channels.NonWritableChannelException) {
            return new Failure(EBADF); // read on a write-only descriptor, or the reverse, as read(2)
        }
        if (e instanceof UnsupportedOperationException) {
            return new Failure(EINVAL);
        }
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) {
            return new Failure(EIO);
        }
        return new Failure(switch (reason) {
            case "Is a directory" -> EISDIR;
            case "Not a directory" -> ENOTDIR;
            case "Permission denied" -> EACCES;
            case "Operation not permitted" -> EPERM;
            case "File exists" -> EEXIST;
            case "No such file or directory" -> ENOENT;
            case "Read-only file system" -> EROFS;
            case "No space left on device" -> ENOSPC;
            case "File name too long" -> ENAMETOOLONG;
            case "Too many open files" -> EMFILE;
            case "Too many open files in system" -> ENFILE;
            case "Invalid argument" -> EINVAL;
            case "Device or resource busy" -> EBUSY;
            case "No such device" -> ENODEV;
            case "File too large" -> EFBIG;
            case "Illegal seek" -> ESPIPE;
            case "Input/output error" -> EIO;
            case "Interrupted system call" -> EINTR;
            case "Bad address" -> EFAULT;
            case "Bad file descriptor" -> EBADF;
            default -> EUNKNOWN;
        });
    }

    /** How many of the first {@code length} bytes fit a reply once escaped ('$', '#', '}', '*' take two). */
    private int fitting(byte[] data, int length) {
        int room = maxReply - 16; // "F" + count + ';' and the framing
        int n = 0;
        for (; n < length; n++) {
            int c = data[n] & 0xff;
            room -= c == '$' || c == '#' || c == '}' || c == '*' ? 2 : 1;
            if (room < 0) {
                break;
            }
        }
        return n;
    }

    private static byte[] withData(String head, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream(head.length() + data.length);
        b.writeBytes(ascii(head));
        b.writeBytes(data);
        return b.toByteArray();
    }

    private static int seconds(Object fileTime) {
        return (int) (((FileTime) fileTime).toMillis() / 1000);
    }

    private static String rwx(int mode) {
        StringBuilder s = new StringBuilder(9);
        for (int shift = 6; shift >= 0; shift -= 3) {
            int bits = mode >> shift;
            s.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append((bits & 1) != 0 ? 'x' : '-');
        }
        return s.toString();
    }

    private static int indexOf(byte[] b, char c, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int to) {
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
