package dev.multitrace.linux;

import com.sun.jna.Native;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An {@link OutputStream} over a raw fd using {@code write(2)}. Writing to a pipe whose
 * reader has gone gives an IOException (EPIPE): the JVM does not die of SIGPIPE.
 */
final class FdOutputStream extends OutputStream {

    private static final int BUF = 16 << 10;

    private final FdHolder fd;
    private final com.sun.jna.Memory buf = new com.sun.jna.Memory(BUF);

    FdOutputStream(int fd) {
        this.fd = new FdHolder(fd);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        int f = fd.acquire();
        if (f < 0) {
            throw new IOException("stream closed");
        }
        try {
            int done = 0;
            while (done < len) {
                int chunk = Math.min(len - done, BUF);
                buf.write(0, b, off + done, chunk);
                int put = 0;
                while (put < chunk) {
                    long n = LibC.write(f, buf.share(put), chunk - put);
                    if (n >= 0) {
                        put += (int) n;
                        continue;
                    }
                    int errno = Native.getLastError();
                    if (errno != Errno.EINTR) {
                        throw new IOException("write(" + f + "): " + Errno.describe(errno) + " (" + Errno.name(errno) + ")");
                    }
                }
                done += chunk;
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
