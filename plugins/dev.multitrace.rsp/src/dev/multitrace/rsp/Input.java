package dev.multitrace.rsp;

/** One thing the client sent, as the {@link PacketReader} framed it. */
public sealed interface Input {

    /** A packet whose checksum matched; {@code data} is decoded (escapes and run-lengths undone). */
    record Packet(byte[] data) implements Input {
        public String text() {
            return new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** A packet whose checksum did not match: answered with '-' in ack mode, dropped otherwise. */
    record BadChecksum(int expected, int actual) implements Input {
    }

    /** '+': the client received our last packet. */
    record Ack() implements Input {
    }

    /** '-': the client wants our last packet again. */
    record Nack() implements Input {
    }

    /** 0x03 outside a packet: the user pressed Ctrl-C. */
    record Interrupt() implements Input {
    }
}
