package dev.multitrace.rsp;

import java.io.IOException;

/**
 * The client broke the remote protocol in a way that cannot be answered with an error packet
 * (a packet longer than the limit, a frame that never ends): the connection is dropped.
 */
public final class RspProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public RspProtocolException(String message) {
        super(message);
    }
}
