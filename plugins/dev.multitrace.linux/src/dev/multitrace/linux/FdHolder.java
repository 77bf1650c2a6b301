package dev.multitrace.linux;

/**
 * Owns one raw file descriptor for a stream. A {@code close()} from another thread while
 * a read or write is blocked must not close the descriptor under it (the number could be
 * reused by an unrelated open and the blocked call would then hit the wrong file), so
 * closing is deferred until the call in progress returns.
 */
final class FdHolder {

    private final int fd;
    private boolean closed;
    private int busy;
    private boolean released;

    FdHolder(int fd) {
        this.fd = fd;
    }

    /** Marks a call in progress and returns the fd, or -1 if closed. */
    synchronized int acquire() {
        if (closed) {
            return -1;
        }
        busy++;
        return fd;
    }

    synchronized void release() {
        busy--;
        maybeClose();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized void close() {
        closed = true;
        maybeClose();
    }

    private void maybeClose() {
        if (closed && busy == 0 && !released) {
            released = true;
            LibC.close(fd);
        }
    }
}
