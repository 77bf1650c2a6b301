package dev.multitrace.rsp;

import java.io.IOException;
import java.util.Map;

/**
 * Answers one kind of packet. A handler returns the reply, or null when there is none ({@code k})
 * or it sent it itself (binary replies, {@code qXfer}); it throws {@link PacketError} (or lets a
 * parser's or the service's exception through) for an error reply, which the dispatch maps with
 * {@link RspError#of}.
 */
@FunctionalInterface
interface PacketHandler {

    String handle(Request request) throws IOException, InterruptedException;

    /** A family of packets (registers, memory, queries...): puts its handlers in the dispatch table by packet name. */
    interface Family {
        void register(Map<String, PacketHandler> table);
    }
}
