package dev.multitrace.linux;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.InputStream;

/**
 * An {@link InputStream} over a raw fd using {@code read(2)}: the JDK offers no portable
 * way to build a {@code FileInputStream} from an int descriptor.
 */
final class FdInputStream extends InputStream {

    private static final int BUF = 16 << 10;

    private final FdHolder fd;
    private final com.sun.jna.Memory buf = new com.sun.jna.Memory(BUF);

    FdInputStream(int fd) {
        this.fd = new FdHolder(fd);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int f = fd.acquire();
        if (f < 0) {
            throw new IOException("stream closed");
        }
        try {
            while (true) {
                long n = LibC.read(f, buf, Math.min(len, BUF));
                if (n > 0) {
                    buf.read(0, b, off, (int) n);
                    return (int) n;
                }
                if (n == 0) {
                    return -1;
                }
                int errno = Native.getLastError();
                if (errno != Errno.EINTR) {
                    throw new IOException("read(" + f + "): " + Errno.describe(errno) + " (" + Errno.name(errno) + ")");
                }
            }
        } finally {
            fd.release();
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
