package dev.multitrace.rsp;

/**
 * A packet answered with an error ({@link RspError}): thrown by a handler, turned into the
 * {@code Exx} reply in one place (the dispatch). The message is for the server's log.
 */
final class PacketError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient RspError error;

    PacketError(RspError error, String message) {
        super(message);
        this.error = error;
    }

    RspError error() {
        return error;
    }
}
